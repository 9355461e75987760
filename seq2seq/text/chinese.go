package text

import (
	"sync"
	"time"

	"github.com/go-ego/gse"
)

// The gse segmenter is loaded once, on first use, from the simplified-Chinese
// dictionary embedded in github.com/go-ego/gse ("zh_s", about 350,000
// words). Loading takes about 1.5 s and keeps about 130 MB on the heap
// (measured on a 2-core x86-64 machine); text without Chinese never loads it.
//
// Importing gse embeds its dictionaries (Chinese and Japanese) in every
// binary that imports this package: about 32 MB. Building with the gse build
// tag "ne" leaves them out; WordTokenizer then segments Chinese with gse's
// HMM model alone (no dictionary), which is worse but does not fail.
var (
	segOnce     sync.Once
	seg         *gse.Segmenter
	segErr      error
	segLoadTime time.Duration
)

// loadSegmenter loads the dictionary; run it only through segOnce.
func loadSegmenter() {
	start := time.Now()
	s, err := gse.NewEmbed("zh_s")
	segLoadTime = time.Since(start)
	if err != nil {
		segErr = err
		return
	}
	seg = &s
}

// chineseSegmenter returns the shared segmenter, loading it on first call.
// It returns nil if the dictionary failed to load.
func chineseSegmenter() *gse.Segmenter {
	segOnce.Do(loadSegmenter)
	return seg
}

// LoadChineseDictionary loads the Chinese word dictionary used by
// [WordTokenizer] now rather than on first use, and returns how long the
// load took (zero if it was already loaded) and any error it gave. It is
// safe to call more than once and from several goroutines. Call it at
// start-up to keep the first Tokenize call fast; without it, the first
// Tokenize call that meets Chinese text pays the load time.
func LoadChineseDictionary() (time.Duration, error) {
	loadedNow := false
	segOnce.Do(func() {
		loadedNow = true
		loadSegmenter()
	})
	if !loadedNow {
		return 0, segErr
	}
	return segLoadTime, segErr
}

// segmentHan splits a run of Han grapheme clusters into words with gse's
// DAG + HMM mode (the mode jieba uses by default). Token boundaries always
// fall on grapheme-cluster boundaries of run; if the dictionary is not
// available, or gse returns something that does not concatenate back to
// run, each cluster becomes a token.
func segmentHan(run string, clusters []string) []string {
	if len(clusters) <= 1 {
		return clusters
	}
	s := chineseSegmenter()
	if s == nil {
		return clusters
	}
	words := s.Cut(run, true)
	// Merge gse's words so that every boundary is a cluster boundary.
	bounds := make(map[int]bool, len(clusters))
	off := 0
	for _, c := range clusters {
		off += len(c)
		bounds[off] = true
	}
	out := make([]string, 0, len(words))
	start, end := 0, 0
	for _, w := range words {
		if w == "" {
			continue
		}
		end += len(w)
		if end > len(run) || run[end-len(w):end] != w {
			return clusters
		}
		if bounds[end] {
			out = append(out, run[start:end])
			start = end
		}
	}
	if end != len(run) {
		return clusters
	}
	return out
}
