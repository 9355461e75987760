package data

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Range of the date task: dates are drawn uniformly from FirstYear-01-01 to
// LastYear-12-31, both included.
const (
	FirstYear = 1950
	LastYear  = 2049
)

// datesStream is the PCG stream (second seed word) used by Dates, so that
// other generators seeded with the same seed draw different numbers.
const datesStream = 0x64617465735f7631 // "dates_v1"

// ErrUnknownFormat is returned (wrapped) by [FormatDate] for a format name
// not listed by [Formats].
var ErrUnknownFormat = errors.New("unknown date format")

// ErrDateRange is returned (wrapped) by [FormatDate] for a date outside
// FirstYear..LastYear, where two-digit years would be ambiguous.
var ErrDateRange = errors.New("date outside the task range 1950-01-01..2049-12-31")

// dateFormat is one way of writing a date.
type dateFormat struct {
	name   string // pattern shown in docs, e.g. "D Month YYYY"
	render func(y int, m time.Month, d int, wd time.Weekday) string
}

// formats lists every format; the order is part of the generator's output
// (Dates draws an index into it), so only append to it, and expect the pinned
// outputs in the tests to change if you do.
var formats = []dateFormat{
	{"D Month YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 3 March 2021
		return fmt.Sprintf("%d %s %d", d, m, y)
	}},
	{"DD Mon YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 03 Mar 2021
		return fmt.Sprintf("%02d %s %d", d, short(m.String()), y)
	}},
	{"Month D, YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // March 3, 2021
		return fmt.Sprintf("%s %d, %d", m, d, y)
	}},
	{"Mon D, 'YY", func(y int, m time.Month, d int, _ time.Weekday) string { // Mar 3, '21
		return fmt.Sprintf("%s %d, '%02d", short(m.String()), d, y%100)
	}},
	{"MM/DD/YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 03/03/2021 (US order)
		return fmt.Sprintf("%02d/%02d/%d", m, d, y)
	}},
	{"D.M.YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 3.3.2021 (day first)
		return fmt.Sprintf("%d.%d.%d", d, m, y)
	}},
	{"YYYY/MM/DD", func(y int, m time.Month, d int, _ time.Weekday) string { // 2021/03/03
		return fmt.Sprintf("%d/%02d/%02d", y, m, d)
	}},
	{"Weekday, Month Dth YYYY", func(y int, m time.Month, d int, wd time.Weekday) string { // Wednesday, March 3rd 2021
		return fmt.Sprintf("%s, %s %s %d", wd, m, ordinal(d), y)
	}},
	{"wkd D mon YYYY", func(y int, m time.Month, d int, wd time.Weekday) string { // wed 3 mar 2021
		return strings.ToLower(fmt.Sprintf("%s %d %s %d", short(wd.String()), d, short(m.String()), y))
	}},
	{"MONTH D YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // MARCH 3 2021
		return fmt.Sprintf("%s %d %d", strings.ToUpper(m.String()), d, y)
	}},
	{"YYYY年M月D日", func(y int, m time.Month, d int, _ time.Weekday) string { // 2021年3月3日
		return fmt.Sprintf("%d年%d月%d日", y, m, d)
	}},
	{"Dth of Month, YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 3rd of March, 2021
		return fmt.Sprintf("%s of %s, %d", ordinal(d), m, y)
	}},
	{"YYYYMMDD", func(y int, m time.Month, d int, _ time.Weekday) string { // 20210303
		return fmt.Sprintf("%d%02d%02d", y, m, d)
	}},
	{"YYYY-M-D", func(y int, m time.Month, d int, _ time.Weekday) string { // 2021-3-3
		return fmt.Sprintf("%d-%d-%d", y, m, d)
	}},
	{"DD-Mon-YYYY", func(y int, m time.Month, d int, _ time.Weekday) string { // 03-Mar-2021
		return fmt.Sprintf("%02d-%s-%d", d, short(m.String()), y)
	}},
	{"DD.MM.YY", func(y int, m time.Month, d int, _ time.Weekday) string { // 03.03.21 (day first)
		return fmt.Sprintf("%02d.%02d.%02d", d, m, y%100)
	}},
}

// short abbreviates a month or weekday name to its first three letters.
func short(name string) string { return name[:3] }

// ordinal writes a day of the month with its English suffix: 1st, 2nd, 3rd,
// 4th, ..., 11th, 12th, 13th, ..., 21st, 22nd, 23rd, ..., 31st.
func ordinal(d int) string {
	suffix := "th"
	if d%100 < 11 || d%100 > 13 {
		switch d % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(d) + suffix
}

// Formats returns the names of the date formats the task uses, such as
// "D Month YYYY" or "MM/DD/YYYY", in a fixed order. The names are patterns:
// D and DD are the day without and with a leading zero, M and MM the month,
// Month/Mon/MONTH/mon the month name in full, abbreviated, upper case and
// lower case, Dth the day with an ordinal suffix, YY a two-digit year.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// FormatDate writes the calendar date of t (its year, month and day, in t's
// location) in the named format, one of [Formats]. Dates outside
// FirstYear..LastYear give an error wrapping [ErrDateRange]; unknown names
// give one wrapping [ErrUnknownFormat].
func FormatDate(t time.Time, format string) (string, error) {
	for _, f := range formats {
		if f.name == format {
			y, m, d := t.Date()
			if y < FirstYear || y > LastYear {
				return "", fmt.Errorf("format %s: %w", t.Format(time.DateOnly), ErrDateRange)
			}
			return f.render(y, m, d, t.Weekday()), nil
		}
	}
	return "", fmt.Errorf("%w %q (see data.Formats)", ErrUnknownFormat, format)
}

// numDays is the number of days from FirstYear-01-01 to LastYear-12-31.
var numDays = int(time.Date(LastYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()-
	time.Date(FirstYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) / 86400

// Dates returns n source/target pairs of the date-normalisation task. Each
// Source is a date written in a human format (see [Formats]); each Target is
// the same date in ISO 8601, "YYYY-MM-DD".
//
// For each pair Dates draws a day uniformly from 1950-01-01..2049-12-31 and
// then a format uniformly from [Formats], both with
// rand.New(rand.NewPCG(uint64(seed), 0x64617465735f7631)).IntN. So the same
// seed gives the same pairs on every platform, and the first k pairs do not
// depend on n. Pairs are drawn independently, so a long list can repeat a
// source; [Split] removes repeats. n <= 0 gives an empty list.
func Dates(n int, seed int64) []Pair {
	if n <= 0 {
		return []Pair{}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), datesStream))
	pairs := make([]Pair, n)
	for i := range pairs {
		pairs[i], _ = drawDate(rng)
	}
	return pairs
}

// drawDate draws one pair and returns it with the index of its format.
func drawDate(rng *rand.Rand) (Pair, int) {
	day := time.Date(FirstYear, 1, 1+rng.IntN(numDays), 0, 0, 0, 0, time.UTC)
	f := rng.IntN(len(formats))
	y, m, d := day.Date()
	return Pair{
		Source: formats[f].render(y, m, d, day.Weekday()),
		Target: day.Format(time.DateOnly),
	}, f
}

// SplitDates generates n date pairs with [Dates] and splits them with
// [Split], using seed for both. Repeated sources are removed first, so the
// three sets together may hold slightly fewer than n pairs.
func SplitDates(n int, seed int64, validFrac, testFrac float64) (train, valid, test []Pair, err error) {
	return Split(Dates(n, seed), seed, validFrac, testFrac)
}
