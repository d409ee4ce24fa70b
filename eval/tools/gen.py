"""Generate eval/sample-questions.jsonl.

Each question names the matter(s) it is about by hand: an int is the row's
position (seq) in the 滕州市 county list (all four county lists hold the same
catalogue), "S:..." is a substring of a statutory row every town list holds.
The expected codes are then looked up in the current editions by the
resolution rules (town row unless it is missing or only 协助 → county row).
A list of lists means "several legal bases with different enforcers": each
group is resolved on its own and the answers are united.

Usage (after `towndesk ask --data DIR ...` has loaded the sample lists into DIR):
    python3 gen.py DIR/towndesk.db questions.py ../sample-questions.jsonl
"""
import json
import sqlite3
import sys
from collections import Counter

# Current editions only: every list's current_edition_id.
db = sqlite3.connect(sys.argv[1])
ROWS = db.execute(
    "select l.county, l.town, i.code, i.name, i.subitem, i.body, i.mode, i.basis"
    " from lists l join items i on i.edition_id = l.current_edition_id order by l.id, i.seq").fetchall()
COUNTY = {}  # county -> rows of its county list, in list order
TOWN = {}    # (county, town) -> rows of the town list
for c, t, code, name, sub, body, mode, basis in ROWS:
    d = dict(code=code, name=name, sub=sub, body=body, mode=mode, basis=basis)
    if t:
        TOWN.setdefault((c, t), []).append(d)
    else:
        COUNTY.setdefault(c, []).append(d)


def crow(c, seq):
    """The row of county c's list that is row seq of the 滕州市 list (same name and sub-item)."""
    ref = COUNTY['滕州市'][seq]
    m = [r for r in COUNTY[c] if r['name'] == ref['name'] and r['sub'] == ref['sub']]
    assert len(m) == 1, (c, seq)
    return m[0]


def town_rows_for(c, t, seq):
    """Rows of town t's list for the power at seq (town rows carry the county row's name, no sub-item)."""
    name = COUNTY['滕州市'][seq]['name']
    return [r for r in TOWN[(c, t)] if r['name'] == name]

P = {
    'BH': ('滕州市', '滨湖镇'), 'GQ': ('滕州市', '官桥镇'), 'TCH': ('滕州市', '柴胡店镇'),
    'BJ': ('蓟州区', '邦均镇'), 'XY': ('蓟州区', '下营镇'),
    'FT': ('义乌市', '佛堂镇'), 'SX': ('义乌市', '苏溪镇'), 'NCH': ('宁津县', '柴胡店镇'),
    'TZ': ('滕州市', None), 'JZ': ('蓟州区', None), 'YW': ('义乌市', None), 'NJ': ('宁津县', None),
}

def short(basis):
    return basis.replace('中华人民共和国', '').replace('《', '').replace('》', '')

def statutory(c, t, sub):
    m = [r for r in TOWN[(c, t)] if sub in r['name'] and r['mode'] == '法定']
    assert len(m) == 1, (c, t, sub, [r['name'] for r in m])
    return m[0]

def resolve_group(c, t, group):
    """-> (codes, how, rows) ; how in own/county; rows: the town rows seen (any mode)."""
    own, county, seen = [], [], []
    for m in group:
        if isinstance(m, str):
            assert m.startswith('S:') and t, (m, c, t)
            r = statutory(c, t, m[2:])
            own.append(r)
            seen.append(r)
            continue
        trs = town_rows_for(c, t, m) if t else []
        seen += trs
        own += [r for r in trs if r['mode'] != '协助']
        county.append(crow(c, m))
    rows = own if own else county
    codes = []
    for r in rows:
        if r['code'] not in codes:
            codes.append(r['code'])
    return codes, ('own' if own else 'county'), rows, seen

def describe(c, t, how, rows, seen=()):
    r = rows[0]
    place = (c + t) if t else c
    if how == 'own':
        return f"{short(r['basis'])}; {place}清单: {r['mode']} {r['body']}"
    if t and any(x['mode'] == '协助' for x in seen):
        return f"{short(r['basis'])}; {t}仅协助, 县级清单: {r['body']}"
    if t:
        return f"{short(r['basis'])}; {t}清单无此项, 县级清单: {r['body']}"
    return f"{short(r['basis'])}; {c}清单: {r['body']}"

CASES = []

def A(q, kind, place, matters, town=None, county=None, note=None, extra=(), also=()):
    """An answered case."""
    c, t = P[place]
    groups = matters if matters and isinstance(matters[0], list) else [matters]
    codes, hows, notes, seen_all = [], [], [], []
    for g in groups:
        cs, how, rows, seen = resolve_group(c, t, g)
        hows.append(how)
        seen_all += seen
        for x in cs:
            if x not in codes:
                codes.append(x)
        notes.append(describe(c, t, how, rows, seen))
    for m in also:  # further acceptable rows (same department, other category), outside the kind check
        cs, how, rows, seen = resolve_group(c, t, [m])
        codes += [x for x in cs if x not in codes]
        notes.append('also ' + describe(c, t, how, rows, seen))
    codes += [x for x in extra if x not in codes]
    # consistency between the kind and how the data resolves the case
    if kind == 'town':
        assert any(h == 'own' for h in hows), (q, hows)
    if kind == 'county_fallback':
        assert all(h == 'county' for h in hows) and not seen_all, (q, hows, [r['mode'] for r in seen_all])
    if kind == 'assist':
        assert all(h == 'county' for h in hows) and any(r['mode'] == '协助' for r in seen_all), (q, hows)
    if kind in ('county_only', 'uncovered_town'):
        assert t is None, q
    o = {'q': q, 'kind': kind}
    if town:
        o['town'] = town
    if county:
        o['county'] = county
    o['status'] = 'answered'
    o['codes'] = codes
    o['note'] = note + '; ' + ' | '.join(notes) if note else ' | '.join(notes)
    CASES.append(o)

def S(q, kind, status, town=None, county=None, note=''):
    """A case whose expected outcome is a status other than answered."""
    o = {'q': q, 'kind': kind}
    if town:
        o['town'] = town
    if county:
        o['county'] = county
    o['status'] = status
    o['note'] = note
    CASES.append(o)

FIRE = [[90], [293]]  # 放鞭炮: 大气法119(3) (综合执法) and 烟花爆竹条例42(2) (公安)
TRASH = [76, 60, 65]  # 乱倒垃圾: 固废法111(1) and 市容条例34 (umbrella subitem and its own row)
ADS = [58, 64]        # 小广告: 市容条例34 (umbrella subitem and its own row)
SAND = [185, 182]     # 河道采砂: 河道管理条例44 (own row and umbrella subitem)
BALCONY = [59, 66]

exec(open(sys.argv[2], encoding='utf-8').read())

seen = set()
for o in CASES:
    key = (o['q'], o.get('town'), o.get('county'))
    assert key not in seen, key
    seen.add(key)
with open(sys.argv[3], 'w', encoding='utf-8') as f:
    for o in CASES:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(Counter(o['kind'] for o in CASES), len(CASES))
