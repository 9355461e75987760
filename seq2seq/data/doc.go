// Package data provides sentence-pair data sets for sequence-to-sequence
// training: the built-in date-normalisation task, generated in code, and
// readers and writers for user data in TSV.
//
// # The date task
//
// [Dates] turns random calendar dates into pairs such as
//
//	"Wednesday, March 3rd 2021" -> "2021-03-03"
//	"3.3.2021"                  -> "2021-03-03"
//	"2021年3月3日"             -> "2021-03-03"
//
// Dates are drawn uniformly from 1950-01-01 to 2049-12-31 and each is written
// in one of the human formats listed by [Formats]. The task is free of
// ambiguity: every source string has exactly one correct target.
//
//   - Numeric dates with "/" are US month-first (MM/DD/YYYY) unless the year
//     comes first (YYYY/MM/DD); numeric dates with "." are day-first
//     (D.M.YYYY, DD.MM.YY). No format is day-first with "/" or month-first
//     with ".".
//   - Two-digit years use a fixed pivot: '50 to '99 mean 1950 to 1999 and
//     '00 to '49 mean 2000 to 2049. The pivot matches the task's date range,
//     so the target is a function of the source string alone.
//
// Generation is deterministic: the same n and seed give the same pairs on
// every platform and Go release that keeps math/rand/v2's PCG generator and
// Rand.IntN unchanged (the package tests pin the output).
//
// # Splits
//
// [Split] and [SplitDates] divide pairs into train, validation and test sets
// so that the same source string never lands in two sets.
//
// # TSV files
//
// [ReadTSV] and [ParseTSV] read the Tatoeba/Anki layout, one pair a line:
//
//	source<TAB>target[<TAB>extra columns, ignored]
//
// and [WriteTSV] writes it atomically. Errors are [*TSVError] values that
// name the file, line and field at fault.
//
// # Corpora
//
// Real text comes from packages that `go run ./cmd/textgen setup` installs into
// .textgen/corpora ([CorporaDir]): the Tang poems of npm chinese-poetry ([TangPoems],
// [ReadTang]; converted to simplified characters by default, see [ToSimplified]), the
// 300 Tang poems of Debian fortunes-zh ([Tang300]) and the English fortunes of Debian
// fortunes ([Fortunes]). [NextLinePairs] turns poems into line → next-line pairs and
// [Sentences] into character sequences for word2vec; [ReadLines] reads plain text.
// Loaders read local files only and say what to install when they are missing.
// Sources, licences and cleaning rules: docs/corpora.md.
package data
