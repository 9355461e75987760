package data

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// parser reads back one format independently of the renderer: a regexp that
// the source must match exactly, and a time.Parse layout for what is left
// after ordinal suffixes are removed.
type parser struct {
	shape   *regexp.Regexp
	layout  string
	twoYear bool // the layout's year is "06"; apply the task's '50 pivot
	weekday string
}

// Weekday shapes for the parser table: full name or lower-case abbreviation.
const (
	fullWeekday  = "full"
	shortWeekday = "short"
)

var parsers = map[string]parser{
	"D Month YYYY":            {shape: regexp.MustCompile(`^[1-9]\d? [A-Z][a-z]+ \d{4}$`), layout: "2 January 2006"},
	"DD Mon YYYY":             {shape: regexp.MustCompile(`^\d\d [A-Z][a-z]{2} \d{4}$`), layout: "02 Jan 2006"},
	"Month D, YYYY":           {shape: regexp.MustCompile(`^[A-Z][a-z]+ [1-9]\d?, \d{4}$`), layout: "January 2, 2006"},
	"Mon D, 'YY":              {shape: regexp.MustCompile(`^[A-Z][a-z]{2} [1-9]\d?, '\d\d$`), layout: "Jan 2, '06", twoYear: true},
	"MM/DD/YYYY":              {shape: regexp.MustCompile(`^\d\d/\d\d/\d{4}$`), layout: "01/02/2006"},
	"D.M.YYYY":                {shape: regexp.MustCompile(`^[1-9]\d?\.[1-9]\d?\.\d{4}$`), layout: "2.1.2006"},
	"YYYY/MM/DD":              {shape: regexp.MustCompile(`^\d{4}/\d\d/\d\d$`), layout: "2006/01/02"},
	"Weekday, Month Dth YYYY": {shape: regexp.MustCompile(`^[A-Z][a-z]+day, [A-Z][a-z]+ [1-9]\d?(st|nd|rd|th) \d{4}$`), layout: "Monday, January 2 2006", weekday: fullWeekday},
	"wkd D mon YYYY":          {shape: regexp.MustCompile(`^[a-z]{3} [1-9]\d? [a-z]{3} \d{4}$`), layout: "Mon 2 Jan 2006", weekday: shortWeekday},
	"MONTH D YYYY":            {shape: regexp.MustCompile(`^[A-Z]+ [1-9]\d? \d{4}$`), layout: "January 2 2006"},
	"YYYY年M月D日":               {shape: regexp.MustCompile(`^\d{4}年[1-9]\d?月[1-9]\d?日$`), layout: "2006年1月2日"},
	"Dth of Month, YYYY":      {shape: regexp.MustCompile(`^[1-9]\d?(st|nd|rd|th) of [A-Z][a-z]+, \d{4}$`), layout: "2 of January, 2006"},
	"YYYYMMDD":                {shape: regexp.MustCompile(`^\d{8}$`), layout: "20060102"},
	"YYYY-M-D":                {shape: regexp.MustCompile(`^\d{4}-[1-9]\d?-[1-9]\d?$`), layout: "2006-1-2"},
	"DD-Mon-YYYY":             {shape: regexp.MustCompile(`^\d\d-[A-Z][a-z]{2}-\d{4}$`), layout: "02-Jan-2006"},
	"DD.MM.YY":                {shape: regexp.MustCompile(`^\d\d\.\d\d\.\d\d$`), layout: "02.01.06", twoYear: true},
}

var ordinalSuffix = regexp.MustCompile(`(\d)(st|nd|rd|th)\b`)

// parseSource reads a source written in format back into a date.
func parseSource(t *testing.T, format, src string) time.Time {
	t.Helper()
	p, ok := parsers[format]
	if !ok {
		t.Fatalf("no test parser for format %q", format)
	}
	if !p.shape.MatchString(src) {
		t.Fatalf("format %q: source %q does not match %v", format, src, p.shape)
	}
	day, err := time.Parse(p.layout, ordinalSuffix.ReplaceAllString(src, "$1"))
	if err != nil {
		t.Fatalf("format %q: parse %q: %v", format, src, err)
	}
	if p.twoYear && day.Year() > LastYear { // Go's pivot is '69; the task's is '50
		day = day.AddDate(-100, 0, 0)
	}
	// time.Parse does not check weekdays: do it here, against both the time
	// package and Sakamoto's method.
	if got := sakamoto(day.Year(), int(day.Month()), day.Day()); got != day.Weekday() {
		t.Fatalf("%s: time says %v, Sakamoto says %v", day.Format(time.DateOnly), day.Weekday(), got)
	}
	switch wd := strings.SplitN(src, " ", 2)[0]; p.weekday {
	case fullWeekday:
		if want := day.Weekday().String() + ","; wd != want {
			t.Fatalf("source %q: weekday %q, want %q", src, wd, want)
		}
	case shortWeekday:
		if want := strings.ToLower(day.Weekday().String()[:3]); wd != want {
			t.Fatalf("source %q: weekday %q, want %q", src, wd, want)
		}
	}
	return day
}

// sakamoto computes the Gregorian weekday without the time package.
func sakamoto(y, m, d int) time.Weekday {
	offsets := [12]int{0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4}
	if m < 3 {
		y--
	}
	return time.Weekday((y + y/4 - y/100 + y/400 + offsets[m-1] + d) % 7)
}

func TestDatesDeterministic(t *testing.T) {
	a, b := Dates(2000, 1), Dates(2000, 1)
	if !slices.Equal(a, b) {
		t.Fatal("Dates(2000, 1) differs between calls")
	}
	if c := Dates(2000, 2); slices.Equal(a, c) {
		t.Fatal("Dates(2000, 2) equals Dates(2000, 1)")
	}
	if short := Dates(10, 1); !slices.Equal(short, a[:10]) {
		t.Errorf("Dates(10, 1) is not a prefix of Dates(2000, 1)")
	}
	if got := Dates(0, 1); got == nil || len(got) != 0 {
		t.Errorf("Dates(0, 1) = %#v, want empty non-nil", got)
	}
	if got := Dates(-5, 1); len(got) != 0 {
		t.Errorf("Dates(-5, 1) has %d pairs", len(got))
	}
}

// TestDatesPinned pins a few pairs far into the stream, so a change in
// math/rand/v2 or in the generator shows up even if the first pairs agree.
func TestDatesPinned(t *testing.T) {
	pairs := Dates(100000, 42)
	got := []Pair{pairs[0], pairs[1], pairs[99999]}
	want := []Pair{
		{"1970/06/24", "1970-06-24"},
		{"Aug 19, '88", "1988-08-19"},
		{"tue 22 oct 1974", "1974-10-22"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("pinned pairs = %#v, want %#v", got, want)
	}
}

// TestDatesParseBack generates many pairs and checks each source against an
// independent parser for its format: the weekday, ordinal, two-digit year and
// every field must agree with the target.
func TestDatesParseBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, datesStream))
	counts := make([]int, len(formats))
	years := make(map[int]bool)
	const n = 200000
	for range n {
		p, f := drawDate(rng)
		counts[f]++
		target, err := time.Parse("2006-01-02", p.Target)
		if err != nil {
			t.Fatalf("target %q: %v", p.Target, err)
		}
		if target.Year() < FirstYear || target.Year() > LastYear {
			t.Fatalf("target %q outside %d..%d", p.Target, FirstYear, LastYear)
		}
		years[target.Year()] = true
		if got := parseSource(t, formats[f].name, p.Source); !got.Equal(target) {
			t.Fatalf("format %q: source %q parses as %s, target is %s", formats[f].name, p.Source, got.Format(time.DateOnly), p.Target)
		}
	}
	for f, c := range counts {
		// Uniform: expect n/16 = 12500 each; 10% slack is > 10 standard deviations.
		if want := n / len(formats); c < want*9/10 || c > want*11/10 {
			t.Errorf("format %q drawn %d times in %d, want about %d", formats[f].name, c, n, want)
		}
	}
	if len(years) != LastYear-FirstYear+1 {
		t.Errorf("%d distinct years drawn, want %d", len(years), LastYear-FirstYear+1)
	}
}

// TestDatesUnambiguous checks that no source maps to two targets among the
// pairs Dates generates, and exhaustively over every date and format.
func TestDatesUnambiguous(t *testing.T) {
	target := make(map[string]string)
	for _, p := range Dates(200000, 3) {
		if prev, ok := target[p.Source]; ok && prev != p.Target {
			t.Fatalf("source %q maps to %s and %s", p.Source, prev, p.Target)
		}
		target[p.Source] = p.Target
	}

	if testing.Short() {
		t.Skip("exhaustive check skipped in -short mode")
	}
	clear(target)
	first := time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	days := 0
	for day := first; day.Year() <= LastYear; day = day.AddDate(0, 0, 1) {
		days++
		iso := day.Format(time.DateOnly)
		for _, f := range Formats() {
			src, err := FormatDate(day, f)
			if err != nil {
				t.Fatal(err)
			}
			if prev, ok := target[src]; ok && prev != iso {
				t.Fatalf("format %q: source %q maps to %s and %s", f, src, prev, iso)
			}
			target[src] = iso
		}
	}
	if days != numDays {
		t.Errorf("counted %d days in range, numDays = %d", days, numDays)
	}
}

func TestDatesRangeEnds(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), "Sunday, January 1st 1950"},
		{time.Date(2049, 12, 31, 0, 0, 0, 0, time.UTC), "Friday, December 31st 2049"},
		{time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), "Tuesday, February 29th 2000"},
	} {
		got, err := FormatDate(tc.day, "Weekday, Month Dth YYYY")
		if err != nil || got != tc.want {
			t.Errorf("FormatDate(%s) = %q, %v; want %q", tc.day.Format(time.DateOnly), got, err, tc.want)
		}
	}
	two := map[int]string{1950: "Jan 1, '50", 1999: "Jan 1, '99", 2000: "Jan 1, '00", 2049: "Jan 1, '49"}
	for y, want := range two {
		if got, _ := FormatDate(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), "Mon D, 'YY"); got != want {
			t.Errorf("year %d: %q, want %q", y, got, want)
		}
	}
}

func TestFormatDateErrors(t *testing.T) {
	if _, err := FormatDate(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), "YYYYMMDD"); !errors.Is(err, ErrDateRange) {
		t.Errorf("1949-12-31: error %v, want ErrDateRange", err)
	}
	if _, err := FormatDate(time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC), "YYYYMMDD"); !errors.Is(err, ErrDateRange) {
		t.Errorf("2050-01-01: error %v, want ErrDateRange", err)
	}
	_, err := FormatDate(time.Now(), "DD/MM/YYYY")
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), `"DD/MM/YYYY"`) {
		t.Errorf("unknown format: error %v", err)
	}
}

func TestFormats(t *testing.T) {
	names := Formats()
	if len(names) < 14 {
		t.Errorf("%d formats, want at least 14", len(names))
	}
	seen := make(map[string]bool)
	for _, n := range names {
		if seen[n] {
			t.Errorf("format %q listed twice", n)
		}
		seen[n] = true
		if _, ok := parsers[n]; !ok {
			t.Errorf("format %q has no test parser", n)
		}
	}
	names[0] = "changed"
	if Formats()[0] == "changed" {
		t.Error("Formats returns the package's own slice")
	}
}

func TestOrdinal(t *testing.T) {
	want := map[int]string{
		1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", 9: "9th", 10: "10th",
		11: "11th", 12: "12th", 13: "13th", 14: "14th", 20: "20th",
		21: "21st", 22: "22nd", 23: "23rd", 24: "24th", 30: "30th", 31: "31st",
		101: "101st", 111: "111th", 112: "112th", 113: "113th", 122: "122nd",
	}
	for d, w := range want {
		if got := ordinal(d); got != w {
			t.Errorf("ordinal(%d) = %q, want %q", d, got, w)
		}
	}
}
