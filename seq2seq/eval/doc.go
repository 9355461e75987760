// Package eval scores generated text against references with BLEU and chrF, giving the numbers sacreBLEU
// 2.6.0 gives.
//
// # Metrics
//
// [CorpusBLEU] is corpus-level BLEU (Papineni et al., 2002): the geometric mean of the modified n-gram
// precisions p_1..p_4, each the hypotheses' n-grams found in a reference (counted at most as often as in the
// reference that has most of them) over all hypothesis n-grams, summed over the whole corpus before dividing,
// times a brevity penalty exp(1 − r/c) when the c hypothesis tokens are fewer than the r reference tokens (r
// takes, per segment, the reference length closest to the hypothesis'). Scores are 0–100. Text is tokenized
// first ([Tokenize13a] by default); see [BLEU] for the statistics returned.
//
// [CorpusChrF] is chrF (Popović, 2015): the F-score, recall weighted Beta = 2 times as much as precision, of
// character n-grams of orders 1..6 (whitespace removed), precision and recall averaged over the orders. With
// WordOrder 2 it is chrF++ (Popović, 2017), adding word unigrams and bigrams. Each segment takes its
// best-scoring reference; statistics are summed over the corpus.
//
// [SentenceBLEU] and [SentenceChrF] score one segment.
//
// # Correspondence with sacreBLEU
//
// Every option maps to a sacreBLEU 2.6.0 parameter of the same meaning, and the zero value of an option
// struct is sacreBLEU's default:
//
//	BLEUOptions.Tokenize        tokenize=        "13a" (default), "zh", "none"
//	BLEUOptions.Lowercase       lowercase=       false
//	BLEUOptions.Smooth          smooth_method=   "exp" (default), "floor", "add-k", "none"
//	BLEUOptions.SmoothValue     smooth_value=    0 = None: 0.1 for floor, 1 for add-k
//	BLEUOptions.MaxNgramOrder   max_ngram_order= 0 = 4
//	BLEUOptions.EffectiveOrder  effective_order= false (sacreBLEU's sentence_bleu() passes true)
//	ChrFOptions.CharOrder       char_order=      0 = 6
//	ChrFOptions.WordOrder       word_order=      0 (2 = chrF++)
//	ChrFOptions.Beta            beta=            0 = 2
//	ChrFOptions.Lowercase       lowercase=       false
//	ChrFOptions.Whitespace      whitespace=      false
//	ChrFOptions.EpsSmoothing    eps_smoothing=   false
//
// CorpusBLEU(hyps, refs, opts) is sacrebleu.BLEU(**opts).corpus_score(hyps, refs), with refs laid out as in
// sacreBLEU: refs[k][i] is the k-th reference of hyps[i]. Likewise CorpusChrF is CHRF(...).corpus_score and
// SentenceBLEU / SentenceChrF are sentence_score. The results carry sacreBLEU's signature
// ("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"; version names the sacreBLEU release whose
// results these are, [SacreBLEUVersion]), and String prints what sacreBLEU prints for a score.
//
// The port is line by line: the tokenizers' regular expressions (written as scanners, checked against Go's
// regexp running the original patterns), Python's notion of whitespace for str.split() (it includes
// U+001C..U+001F), Python's str.lower() ('İ' becomes "i̇", a final 'Σ' becomes 'ς'), sacreBLEU's zh
// character table as Python reads it (its "\u20000" is U+2000 followed by '0', so U+2001..U+2A6D, including
// '—', '…', '€' and '→', count as Chinese, and Extension B does not), the closest reference length (the
// shorter on a tie), the smoothing arithmetic in the same order, log(0) floored to −9999999999, and the early
// zero when nothing matches. The tests compare tokenizations, statistics, scores, printed scores and
// signatures with sacreBLEU itself on random corpora (see sacrebleu_test.go).
//
// Deliberate differences:
//   - Reference streams must have one segment per hypothesis ([ErrLengthMismatch]). sacreBLEU's Python API
//     silently truncates to the shortest stream (its command line refuses, as here). A missing reference
//     (Python None, for a variable number of references) is not supported; "" is an empty reference, as in
//     sacreBLEU.
//   - With add-k, sacreBLEU reports counts and totals with k added; [BLEU] reports the raw counts (the score
//     and precisions are the same).
//   - SmoothValue 0 means sacreBLEU's default; negative values and orders are rejected ([ErrBadOption]).
//   - Only the 13a, zh and none tokenizers exist here (not intl, char, ja-mecab, ko-mecab, spm, flores).
//     TER, bootstrap confidence intervals and significance tests are not ported.
//   - Character properties come from Go's unicode tables (unicode.Version); Python uses its own Unicode
//     version. They differ only for characters assigned in one version and not the other.
//   - Go strings may hold invalid UTF-8, Python strings cannot: an invalid byte is kept and counts as one
//     ordinary character.
//
// # Credits
//
// This package is a Go translation of parts of sacreBLEU 2.6.0 (Matt Post, "A Call for Clarity in Reporting
// BLEU Scores", WMT 2018; https://github.com/mjpost/sacrebleu; Copyright Amazon.com, Inc. or its affiliates
// and contributors; Apache License 2.0): metrics/bleu.py, metrics/chrf.py, metrics/helpers.py and the 13a,
// re and zh tokenizers. The zh tokenizer and its character table are by Shujian Huang (MIT License, as
// included in sacreBLEU). sacreBLEU itself runs only in the tests, as the reference (testdata/sacrebleu_ref.py).
// See docs/metrics.md.
package eval
