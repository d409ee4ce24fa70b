package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/towndesk/towndesk"
)

// Limits on an xlsx file beyond its size. An xlsx is a zip archive, and a
// zip entry can unpack to a thousand times its size: the archive's
// directory is checked before anything is unpacked. A real power list
// unpacks to a few megabytes, compresses about tenfold, has a dozen
// columns and a few thousand rows.
const (
	MaxUnzipSize = 64 << 20 // bytes, all the archive's parts unpacked
	MaxZipRatio  = 100      // unpacked:packed, for a part over zipRatioFrom
	MaxColumns   = 256      // columns with content, per row
	MaxRows      = 100000   // rows with content, per sheet

	zipRatioFrom  = 1 << 20 // small parts may compress better than MaxZipRatio
	maxZipEntries = 10000
	// maxMarkup bounds the XML tags of the parts excelize parses whole
	// into objects (all but the worksheets, which are streamed): a
	// shared-string table of tiny strings costs some 25 bytes of memory
	// per byte of XML. A real list's parts hold a few hundred thousand.
	maxMarkup    = 2000000
	maxMerges    = 20000   // merged ranges per sheet
	maxMergeFill = 4000000 // cells filled from merged ranges per sheet
)

// checkZip refuses an xlsx whose zip directory promises too much: too
// many parts, too much unpacked, or a part compressed beyond any real
// spreadsheet (a zip bomb). Then it unpacks every part once, without
// keeping it, to refuse one that does not match the directory: archive/zip
// stops a part at the size the directory states, and excelize would take
// the truncated part for the whole.
func checkZip(ctx context.Context, name string, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	if len(zr.File) > maxZipEntries {
		return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 内含 %d 个部件，上限 %d 个，不像是一份清单", name, len(zr.File), maxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > zipRatioFrom {
			if f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > MaxZipRatio {
				ratio := f.UncompressedSize64 / max(f.CompressedSize64, 1)
				return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 中的 %s 压缩比异常（%d:1，上限 %d:1），可能是压缩炸弹，已拒绝",
					name, f.Name, ratio, MaxZipRatio)
			}
		}
		total += f.UncompressedSize64
		if total > MaxUnzipSize || f.UncompressedSize64 > MaxUnzipSize {
			return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 解压后超过 %d MB 的上限，不像是一份清单（请删去无关的工作表和内容，或另存为 CSV）",
				name, MaxUnzipSize>>20)
		}
	}
	markup := 0
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return canceled(name, err)
		}
		tags, err := unpack(f)
		switch {
		case errors.Is(err, zip.ErrFormat):
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 解压后比目录记载的大）", name, f.Name)
		case errors.Is(err, zip.ErrChecksum):
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 校验和不符）", name, f.Name)
		case err != nil:
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 已损坏：%v）", name, f.Name, err)
		}
		if !strings.Contains(strings.ToLower(f.Name), "worksheets/") {
			if markup += tags; markup > maxMarkup {
				return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 中的 %s 等部件过于复杂（超过 %d 个 XML 标记），不像是一份清单", name, f.Name, maxMarkup)
			}
		}
	}
	return nil
}

// unpack reads a zip part to its end, keeping nothing, and counts its XML
// tags. It returns archive/zip's error if the part is longer than the
// directory says (zip.ErrFormat) or its checksum does not match.
func unpack(f *zip.File) (tags int, err error) {
	if f.FileInfo().IsDir() {
		return 0, nil
	}
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var c tagCounter
	_, err = io.Copy(&c, rc)
	return int(c), err
}

// tagCounter counts the '<' written to it.
type tagCounter int

func (c *tagCounter) Write(p []byte) (int, error) {
	*c += tagCounter(bytes.Count(p, []byte("<")))
	return len(p), nil
}
