package chat

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
)

// FailureText is what the asker sees in chat when a message failed: a
// user's mistake shows its own message (with advice on naming a place
// that could not be pinned down); anything else a fixed apology with a
// short reason, the details being for the logs.
func FailureText(err error) string {
	if towndesk.ErrorCode(err) != towndesk.EINTERNAL {
		return towndesk.ErrorMessage(err) + PlaceHint(err)
	}
	reason := "系统内部错误"
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		reason = "处理超时"
	}
	return "暂时无法回答，请稍后再试（" + reason + "）"
}

// PlaceHint is chat's advice for a place name that could not be pinned
// down (a *gazetteer.Resolution in err): which place to name, never a
// command-line flag. "" for other errors.
func PlaceHint(err error) string {
	var r *gazetteer.Resolution
	if !errors.As(err, &r) {
		return ""
	}
	switch { // an ambiguous name has two candidates or more
	case r.Reason == gazetteer.Ambiguous && r.Level == gazetteer.County && r.Within.Province == "":
		c := r.Candidates[0]
		return fmt.Sprintf("请在县名前加上所在的省或市，如“%s”。", cmp.Or(c.City, c.Province)+c.County)
	case r.Reason == gazetteer.Ambiguous && r.Level == gazetteer.Town && r.Within.CountyCode == "":
		c := r.Candidates[0]
		return fmt.Sprintf("请连同县（市、区）一起写，如“%s”。", c.Short())
	case r.Reason == gazetteer.NotFound && r.Level == gazetteer.Town && r.Within.CountyCode == "":
		return "请连同县（市、区）一起写，如“滕州市滨湖镇”。"
	}
	return ""
}
