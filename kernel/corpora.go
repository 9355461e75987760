package kernel

// Installation of the text corpora and the CJK chart font (`textgen setup`; see docs/corpora.md):
//
//	.textgen/corpora/chinese-poetry/  npm chinese-poetry (MIT): 全唐诗 JSON, 唐诗三百首 JSON, LICENSE
//	.textgen/corpora/fortunes-zh/     Debian fortunes-zh: tang300, song100, chinese (UTF-8)
//	.textgen/corpora/fortunes/        Debian fortunes-min + fortunes: English fortune files
//	.textgen/fonts/droid/             Debian fonts-droid-fallback: DroidSansFallbackFull.ttf (Apache-2.0)
//
// Every download is verified (npm's sha512 integrity, pinned here; apt's SHA256 for each .deb) and
// unpacked into a temporary folder beside the target, which is renamed into place only when complete.
// A stamp file in each target makes the step idempotent.

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gotextgen/textgen/internal/atomicfile"
	"github.com/gotextgen/textgen/internal/project"
)

// The pinned npm package with the Chinese poetry corpus.
const (
	// ChinesePoetryVersion is the npm chinese-poetry release installed.
	ChinesePoetryVersion = "2.0.1"
	// ChinesePoetryIntegrity is npm's dist.integrity of chinese-poetry-2.0.1.tgz (`npm view chinese-poetry@2.0.1 dist`).
	ChinesePoetryIntegrity = "sha512-KtYARvV7CWNtax0na9+Jn6PlhGgSoid7PWyDzXI4KsCEm2odZcqEQyval5koaLygZnM/EQ3lfJ//25K8p3uHNg=="
	// chinesePoetryTarball is the registry URL npm reports, used only when the npm command is absent.
	chinesePoetryTarball = "https://registry.npmjs.org/chinese-poetry/-/chinese-poetry-2.0.1.tgz"
)

// CJKFontFile is the font `textgen setup` installs for chart labels, relative to FontsDir.
const CJKFontFile = "droid/DroidSansFallbackFull.ttf"

// installedStamp, in each installed folder, records what was installed (one "name version checksum" a line).
const installedStamp = ".textgen-installed"

// CorporaDir is where setup installs the corpora, <root>/.textgen/corpora.
func CorporaDir(root string) string { return filepath.Join(project.ToolsDir(root), "corpora") }

// FontsDir is where setup installs fonts, <root>/.textgen/fonts.
func FontsDir(root string) string { return filepath.Join(project.ToolsDir(root), "fonts") }

// debBundle is a folder filled from Debian packages.
type debBundle struct {
	title string
	dest  func(root string) string // the folder to fill
	pkgs  []string
	keep  func(p string) (name string, ok bool) // maps a path inside the package to a name in dest
}

// debBundles are the Debian parts of the corpora and fonts.
var debBundles = []debBundle{
	{"Debian fortunes-zh (唐诗三百首, 宋词一百首)", func(r string) string { return filepath.Join(CorporaDir(r), "fortunes-zh") },
		[]string{"fortunes-zh"}, keepFortunes},
	{"Debian fortunes-min + fortunes (English)", func(r string) string { return filepath.Join(CorporaDir(r), "fortunes") },
		[]string{"fortunes-min", "fortunes"}, keepFortunes},
	{"Debian fonts-droid-fallback (CJK chart font)", func(r string) string { return filepath.Dir(filepath.Join(FontsDir(r), CJKFontFile)) },
		[]string{"fonts-droid-fallback"}, keepFont},
}

// keepFortunes keeps the fortune text files (not the .dat indexes, not the .u8 links) and the copyright files.
func keepFortunes(p string) (string, bool) {
	if dir, name := path.Split(p); dir == "usr/share/games/fortunes/" && !strings.HasSuffix(name, ".dat") && !strings.HasSuffix(name, ".u8") {
		return name, true
	}
	return keepCopyright(p)
}

// keepFont keeps the TrueType font and the copyright file. (TrueType collections such as
// fonts-wqy-microhei's .ttc fail to parse in golang.org/x/image/font/sfnt, which gonum/plot uses.)
func keepFont(p string) (string, bool) {
	if p == "usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf" {
		return "DroidSansFallbackFull.ttf", true
	}
	return keepCopyright(p)
}

// keepCopyright keeps usr/share/doc/<pkg>/copyright as <pkg>.copyright.
func keepCopyright(p string) (string, bool) {
	if pkg, ok := strings.CutPrefix(p, "usr/share/doc/"); ok {
		if pkg, ok = strings.CutSuffix(pkg, "/copyright"); ok && !strings.Contains(pkg, "/") {
			return pkg + ".copyright", true
		}
	}
	return "", false
}

// InstallCorpora installs the corpora and the CJK font under cfg.Root/.textgen (see the layout above),
// one logged step each under cfg.Timeout; steps already done are "ok (cached)". It needs npm (or
// HTTPS access to registry.npmjs.org) and, for the Debian parts, apt-get and dpkg-deb.
func InstallCorpora(ctx context.Context, cfg InstallConfig) error {
	if cfg.Root == "" {
		return errors.New("install corpora: InstallConfig.Root is empty")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultStepTimeout
	}
	in := &installer{cfg: cfg, log: cfg.Log}
	if in.log == nil {
		in.log = io.Discard
	}
	for _, d := range []string{CorporaDir(cfg.Root), FontsDir(cfg.Root)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("install corpora: %w", err)
		}
		// Temporary folders left by an interrupted setup (killed before its deferred clean-up).
		stale, _ := filepath.Glob(filepath.Join(d, ".tmp-*"))
		for _, s := range stale {
			_ = os.RemoveAll(s)
		}
	}
	name := "npm chinese-poetry@" + ChinesePoetryVersion + " (" + in.rel(filepath.Join(CorporaDir(cfg.Root), "chinese-poetry")) + ")"
	if err := in.step(ctx, name, in.chinesePoetry); err != nil {
		return err
	}
	apt := &aptState{}
	for _, b := range debBundles {
		if err := in.step(ctx, b.title+" ("+in.rel(b.dest(cfg.Root))+")", in.debStep(b, apt)); err != nil {
			return err
		}
	}
	return nil
}

// stampOK reports whether dir holds a stamp equal to want and every file it lists.
func stampOK(dir, want string) bool {
	got, err := os.ReadFile(filepath.Join(dir, installedStamp))
	if err != nil || string(got) != want {
		return false
	}
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 1
}

// chinesePoetry installs the Tang poems of npm chinese-poetry into corpora/chinese-poetry.
func (in *installer) chinesePoetry(ctx context.Context) (bool, error) {
	dest := filepath.Join(CorporaDir(in.cfg.Root), "chinese-poetry")
	stamp := "chinese-poetry " + ChinesePoetryVersion + " " + ChinesePoetryIntegrity + "\n"
	if stampOK(dest, stamp) {
		return true, nil
	}
	tmp, err := os.MkdirTemp(CorporaDir(in.cfg.Root), ".tmp-chinese-poetry-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	tgz, err := in.fetchNPM(ctx, tmp)
	if err != nil {
		return false, err
	}
	if err := checkIntegrity(tgz, ChinesePoetryIntegrity); err != nil {
		return false, err
	}
	out := filepath.Join(tmp, "chinese-poetry")
	n, size, err := extractChinesePoetry(tgz, out)
	if err != nil {
		return false, err
	}
	if err := atomicfile.Write(filepath.Join(out, installedStamp), []byte(stamp), 0o644); err != nil {
		return false, err
	}
	if err := replaceDir(out, dest); err != nil {
		return false, err
	}
	fmt.Fprintf(in.log, "    %d files, %.1f MB\n", n, float64(size)/1e6)
	return false, nil
}

// fetchNPM downloads chinese-poetry's tarball into dir with `npm pack` (which honours the user's npm
// registry settings), or over HTTPS from the registry when npm is not installed.
func (in *installer) fetchNPM(ctx context.Context, dir string) (string, error) {
	tgz := filepath.Join(dir, "chinese-poetry-"+ChinesePoetryVersion+".tgz")
	if _, err := exec.LookPath("npm"); err == nil {
		err := installRun(ctx, in.log, dir, nil, "npm", "pack", "--silent", "chinese-poetry@"+ChinesePoetryVersion)
		if err != nil {
			return "", fmt.Errorf("downloading chinese-poetry with npm: %w", err)
		}
		return tgz, nil
	}
	fmt.Fprintf(in.log, "    npm not found: downloading %s\n", chinesePoetryTarball)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, chinesePoetryTarball, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w", chinesePoetryTarball, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("downloading %s: %s", chinesePoetryTarball, resp.Status)
	}
	err = atomicfile.WriteFunc(tgz, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, resp.Body)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w", chinesePoetryTarball, err)
	}
	return tgz, nil
}

// checkIntegrity compares the file's SHA-512 with an npm integrity string "sha512-<base64>".
func checkIntegrity(file, integrity string) error {
	want, ok := strings.CutPrefix(integrity, "sha512-")
	if !ok {
		return fmt.Errorf("integrity %q is not sha512", integrity)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: sha512 is %s, want %s (corrupt or tampered download)", file, got, want)
	}
	return nil
}

// chinesePoetryKeep maps a path of the npm tarball to the path installed under chinese-poetry/.
func chinesePoetryKeep(name string) (string, bool) {
	switch name {
	case "package/LICENSE", "package/README.md", "package/package.json":
		return strings.TrimPrefix(name, "package/"), true
	}
	rest, ok := strings.CutPrefix(name, "package/dist/quantangshi/")
	if !ok || strings.Contains(rest, "/") {
		return "", false
	}
	if (strings.HasPrefix(rest, "poet.tang.") && strings.HasSuffix(rest, ".json")) || rest == "唐诗三百首.json" {
		return "quantangshi/" + rest, true
	}
	return "", false
}

// extractChinesePoetry unpacks the files chinesePoetryKeep selects from the gzipped tarball into dir.
// It returns the number of files and their total size.
func extractChinesePoetry(tgz, dir string) (files int, size int64, err error) {
	f, err := os.Open(tgz)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	tang := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return files, size, fmt.Errorf("%s: %w", tgz, err)
		}
		rel, ok := chinesePoetryKeep(h.Name)
		if !ok || h.Typeflag != tar.TypeReg {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := writeFileFrom(dst, tr); err != nil {
			return files, size, err
		}
		files++
		size += h.Size
		if strings.HasPrefix(rel, "quantangshi/poet.tang.") {
			tang++
		}
	}
	if tang == 0 {
		return 0, 0, fmt.Errorf("%s holds none of the expected files (package/dist/quantangshi/poet.tang.*.json)", tgz)
	}
	return files, size, nil
}

// writeFileFrom creates dst (and its folder) with r's content.
func writeFileFrom(dst string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFunc(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, r)
		return err
	})
}

// replaceDir moves the complete folder src to dst, replacing any previous dst.
func replaceDir(src, dst string) error {
	old := dst + ".old"
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		if err := os.Rename(dst, old); err != nil {
			return fmt.Errorf("replacing %s: %w", dst, err)
		}
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("installing %s: %w", dst, err)
	}
	return os.RemoveAll(old)
}

// aptState remembers, within one setup run, whether apt-get update already ran.
type aptState struct{ updated bool }

// aptPackage is what apt-cache says of a package's candidate version.
type aptPackage struct {
	Name, Version, SHA256, Filename string
}

// parseAptShow reads the first stanza of `apt-cache show --no-all-versions <pkg>`.
func parseAptShow(out string) (aptPackage, error) {
	var p aptPackage
	for _, line := range strings.Split(out, "\n") {
		if line == "" && p.Name != "" {
			break
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch k {
		case "Package":
			p.Name = v
		case "Version":
			p.Version = v
		case "SHA256":
			p.SHA256 = v
		case "Filename":
			p.Filename = v
		}
	}
	if p.Name == "" || p.Version == "" || len(p.SHA256) != 64 || p.Filename == "" {
		return p, fmt.Errorf("apt-cache gave no package, version, SHA256 and file name (got %+v)", p)
	}
	return p, nil
}

// debStep installs one debBundle: apt-get download, SHA256 check, dpkg-deb -x, copy of the kept files.
func (in *installer) debStep(b debBundle, apt *aptState) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		dest := b.dest(in.cfg.Root)
		if data, err := os.ReadFile(filepath.Join(dest, installedStamp)); err == nil && stampOK(dest, string(data)) &&
			stampHasPackages(string(data), b.pkgs) {
			return true, nil
		}
		for _, tool := range []string{"apt-get", "apt-cache", "dpkg-deb"} {
			if _, err := exec.LookPath(tool); err != nil {
				return false, fmt.Errorf("%s not found: the %s come from Debian packages (%s); on other systems "+
					"see docs/corpora.md for a manual install", tool, b.title, strings.Join(b.pkgs, ", "))
			}
		}
		tmp, err := os.MkdirTemp(filepath.Dir(dest), ".tmp-"+filepath.Base(dest)+"-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(tmp)
		_ = os.Chmod(tmp, 0o755) // apt-get download fetches as user _apt where it can
		out := filepath.Join(tmp, "out")
		var stamp strings.Builder
		for _, pkg := range b.pkgs {
			p, deb, err := in.aptDownload(ctx, apt, pkg, tmp)
			if err != nil {
				return false, err
			}
			x := filepath.Join(tmp, "x-"+pkg)
			if err := installRun(ctx, in.log, tmp, nil, "dpkg-deb", "-x", deb, x); err != nil {
				return false, fmt.Errorf("unpacking %s: %w", deb, err)
			}
			if err := copyKept(x, out, b.keep); err != nil {
				return false, err
			}
			fmt.Fprintf(&stamp, "%s %s sha256:%s\n", p.Name, p.Version, p.SHA256)
			fmt.Fprintf(in.log, "    %s %s (sha256 %s… verified)\n", p.Name, p.Version, p.SHA256[:12])
		}
		if err := atomicfile.Write(filepath.Join(out, installedStamp), []byte(stamp.String()), 0o644); err != nil {
			return false, err
		}
		if err := replaceDir(out, dest); err != nil {
			return false, err
		}
		return false, nil
	}
}

// stampHasPackages reports whether a stamp names every package of pkgs.
func stampHasPackages(stamp string, pkgs []string) bool {
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(stamp), "\n") {
		name, _, _ := strings.Cut(l, " ")
		names = append(names, name)
	}
	for _, p := range pkgs {
		if !slices.Contains(names, p) {
			return false
		}
	}
	return true
}

// aptDownload downloads pkg's candidate .deb into dir and checks its SHA256 against apt's index. When
// apt knows no such package (empty lists, as in fresh containers) and we are root, it runs apt-get update
// once and retries.
func (in *installer) aptDownload(ctx context.Context, apt *aptState, pkg, dir string) (aptPackage, string, error) {
	show, err := installOutput(ctx, nil, "apt-cache", "show", "--no-all-versions", pkg)
	if (err != nil || strings.TrimSpace(show) == "") && !apt.updated && os.Geteuid() == 0 {
		apt.updated = true
		fmt.Fprintln(in.log, "    apt knows no "+pkg+": running apt-get update")
		if uerr := installRun(ctx, in.log, dir, nil, "apt-get", "update", "-q"); uerr != nil {
			return aptPackage{}, "", fmt.Errorf("apt-get update: %w", uerr)
		}
		show, err = installOutput(ctx, nil, "apt-cache", "show", "--no-all-versions", pkg)
	}
	if err != nil {
		return aptPackage{}, "", fmt.Errorf("apt-cache show %s: %w (run `apt-get update` as root if the package lists are empty)", pkg, err)
	}
	p, err := parseAptShow(show)
	if err != nil {
		return p, "", fmt.Errorf("apt-cache show %s: %w", pkg, err)
	}
	if err := installRun(ctx, in.log, dir, nil, "apt-get", "download", "-q", pkg+"="+p.Version); err != nil {
		return p, "", fmt.Errorf("downloading %s %s: %w", pkg, p.Version, err)
	}
	deb := filepath.Join(dir, path.Base(p.Filename))
	if _, err := os.Stat(deb); err != nil {
		// apt-get names the file <pkg>_<version with ':' escaped as %3a>_<arch>.deb.
		matches, _ := filepath.Glob(filepath.Join(dir, pkg+"_*.deb"))
		if len(matches) != 1 {
			return p, "", fmt.Errorf("apt-get download %s left no single %s_*.deb in %s", pkg, pkg, dir)
		}
		deb = matches[0]
	}
	if err := checkSHA256(deb, p.SHA256); err != nil {
		return p, "", err
	}
	return p, deb, nil
}

// checkSHA256 compares a file's SHA-256 with want (hex).
func checkSHA256(file, want string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: sha256 is %s, apt's index says %s (corrupt or tampered download)", file, got, want)
	}
	return nil
}

// copyKept copies the regular files of the unpacked package tree src that keep selects into dst.
func copyKept(src, dst string, keep func(string) (string, bool)) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name, ok := keep(filepath.ToSlash(rel))
		if !ok {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return writeFileFrom(filepath.Join(dst, name), f)
	})
}

// CorporaReport describes, one line per installed part, what InstallCorpora left under root; missing
// lists the parts that are absent. It reads only local files (for `textgen doctor`).
func CorporaReport(root string) (lines, missing []string) {
	parts := []struct{ what, dir string }{
		{"chinese-poetry", filepath.Join(CorporaDir(root), "chinese-poetry")},
	}
	for _, b := range debBundles {
		parts = append(parts, struct{ what, dir string }{strings.Join(b.pkgs, "+"), b.dest(root)})
	}
	for _, p := range parts {
		stamp, err := os.ReadFile(filepath.Join(p.dir, installedStamp))
		if err != nil {
			missing = append(missing, p.what)
			continue
		}
		var size int64
		_ = filepath.WalkDir(p.dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if info, err := d.Info(); err == nil {
					size += info.Size()
				}
			}
			return nil
		})
		var versions []string
		for _, l := range strings.Split(strings.TrimSpace(string(stamp)), "\n") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				versions = append(versions, f[0]+" "+f[1])
			}
		}
		lines = append(lines, fmt.Sprintf("%s (%.1f MB, %s)", strings.Join(versions, ", "), float64(size)/1e6, p.dir))
	}
	return lines, missing
}
