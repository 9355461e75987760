package kernel

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTarGz writes a gzipped tarball of files (name -> content) to path.
func writeTarGz(t *testing.T, path string, files [][2]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExtractChinesePoetry(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "p.tgz")
	writeTarGz(t, tgz, [][2]string{
		{"package/LICENSE", "MIT"},
		{"package/package.json", "{}"},
		{"package/dist/quantangshi/poet.tang.0.json", "[]"},
		{"package/dist/quantangshi/poet.tang.1000.json", "[1]"},
		{"package/dist/quantangshi/唐诗三百首.json", "[2]"},
		{"package/dist/quantangshi/poet.song.0.json", "song: not kept"},
		{"package/dist/quantangshi/error/poet.tang.0.json", "nested: not kept"},
		{"package/dist/strains/json/poet.tang.0.json", "strains: not kept"},
		{"../../evil", "outside: not kept"},
	})
	out := filepath.Join(dir, "out")
	n, size, err := extractChinesePoetry(tgz, out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(got)
	want := []string{"LICENSE", "package.json", "quantangshi/poet.tang.0.json", "quantangshi/poet.tang.1000.json", "quantangshi/唐诗三百首.json"}
	if !slices.Equal(got, want) || n != 5 || size != int64(len("MIT{}[][1][2]")) {
		t.Errorf("extracted %q (%d files, %d bytes), want %q", got, n, size, want)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "quantangshi", "poet.tang.1000.json")); string(data) != "[1]" {
		t.Errorf("poet.tang.1000.json = %q", data)
	}

	sum := sha512.Sum512(mustRead(t, tgz))
	if err := checkIntegrity(tgz, "sha512-"+base64.StdEncoding.EncodeToString(sum[:])); err != nil {
		t.Errorf("checkIntegrity with the right sum: %v", err)
	}
	if err := checkIntegrity(tgz, ChinesePoetryIntegrity); err == nil || !strings.Contains(err.Error(), "tampered") {
		t.Errorf("checkIntegrity with a wrong sum: err = %v", err)
	}

	empty := filepath.Join(dir, "empty.tgz")
	writeTarGz(t, empty, [][2]string{{"package/README.md", "x"}})
	if _, _, err := extractChinesePoetry(empty, filepath.Join(dir, "o2")); err == nil || !strings.Contains(err.Error(), "poet.tang") {
		t.Errorf("tarball without poems: err = %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseAptShow(t *testing.T) {
	out := "Package: fortunes-zh\nVersion: 2.98\nInstalled-Size: 2236\nFilename: pool/main/f/fortune-zh/fortunes-zh_2.98_all.deb\n" +
		"Size: 546072\nSHA256: 211c5ddee59d0ae74ce01cbfd02f7c8714740bae1835d5661eb2254edd739105\nDescription: x\n\n" +
		"Package: fortunes-zh\nVersion: 2.97\n"
	p, err := parseAptShow(out)
	want := aptPackage{"fortunes-zh", "2.98", "211c5ddee59d0ae74ce01cbfd02f7c8714740bae1835d5661eb2254edd739105",
		"pool/main/f/fortune-zh/fortunes-zh_2.98_all.deb"}
	if err != nil || p != want {
		t.Errorf("parseAptShow = %+v, %v; want %+v", p, err, want)
	}
	if _, err := parseAptShow("Package: x\nVersion: 1\n"); err == nil {
		t.Error("parseAptShow without SHA256: no error")
	}
}

func TestKeepDebFiles(t *testing.T) {
	for _, tc := range []struct {
		keep func(string) (string, bool)
		in   string
		want string
	}{
		{keepFortunes, "usr/share/games/fortunes/tang300", "tang300"},
		{keepFortunes, "usr/share/games/fortunes/tang300.dat", ""},
		{keepFortunes, "usr/share/games/fortunes/tang300.u8", ""},
		{keepFortunes, "usr/games/fortune-zh", ""},
		{keepFortunes, "usr/share/doc/fortunes-zh/copyright", "fortunes-zh.copyright"},
		{keepFortunes, "usr/share/doc/fortunes-zh/changelog.gz", ""},
		{keepFont, "usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"},
		{keepFont, "usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf", ""},
		{keepFont, "etc/fonts/conf.avail/65-droid-sans-fallback.conf", ""},
		{keepFont, "usr/share/doc/fonts-droid-fallback/copyright", "fonts-droid-fallback.copyright"},
	} {
		got, ok := tc.keep(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("keep(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestReplaceDirAndReport(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(CorporaDir(root), "fortunes-zh")
	for i, content := range []string{"old", "new"} {
		src := filepath.Join(root, "src"+content)
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		stamp := "fortunes-zh 2.9" + string(rune('7'+i)) + " sha256:x\n"
		for name, data := range map[string]string{"tang300": content, installedStamp: stamp} {
			if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := replaceDir(src, dest); err != nil {
			t.Fatal(err)
		}
	}
	if data := mustRead(t, filepath.Join(dest, "tang300")); string(data) != "new" {
		t.Errorf("after replaceDir: %q", data)
	}
	if _, err := os.Stat(dest + ".old"); !os.IsNotExist(err) {
		t.Errorf("%s.old left behind", dest)
	}
	if !stampOK(dest, "fortunes-zh 2.98 sha256:x\n") || stampOK(dest, "fortunes-zh 2.97 sha256:x\n") {
		t.Error("stampOK does not compare the stamp")
	}
	lines, missing := CorporaReport(root)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "fortunes-zh 2.98 (0.0 MB, ") ||
		!slices.Equal(missing, []string{"chinese-poetry", "fortunes-min+fortunes", "fonts-droid-fallback"}) {
		t.Errorf("CorporaReport = %q, missing %q", lines, missing)
	}
}
