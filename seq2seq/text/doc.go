// Package text turns strings into token IDs and back.
//
// A [Tokenizer] splits a string into tokens and joins tokens back into a
// string. Three are built in, each looked up by its name with
// [TokenizerByName] (the name stored in vocabulary files):
//
//   - "char", [CharTokenizer]: one token per user-perceived character
//     (Unicode grapheme cluster), so Chinese text gets one token per 汉字,
//     and emoji sequences such as 👩‍👩‍👧, flags such as 🇨🇳, skin-tone
//     modifiers such as 👍🏽 and combining marks such as "e\u0301" each stay
//     a single token. Lossless.
//   - "word", [WordTokenizer]: words. Chinese runs are segmented with the
//     gse dictionary segmenter ("这是一个测试" → "这是" "一个" "测试"),
//     other scripts by rules that keep "don't", "U.S.", "3.14", "e-mail"
//     and URLs whole; text splits at script boundaries. Detokenize is
//     approximate (spacing is rebuilt).
//   - "whitespace", [WhitespaceTokenizer]: for text already split by spaces.
//
// A [Normalizer] cleans text before tokenizing (Unicode NFKC, full-width to
// half-width, letter case) and filters tokens after (drop punctuation; keep
// numbers, replace them by "<num>" or split them into digits). A [Pipeline]
// wraps a Tokenizer with a Normalizer; a [Vocab] built with a Pipeline saves
// the Normalizer in its file and applies it again after [Load]. The zero
// Normalizer changes nothing; [DefaultNormalizer] is the recommended start.
// docs/text.md explains the choices.
//
// A [Vocab] maps tokens to dense integer IDs. The four special tokens have
// fixed IDs in every vocabulary:
//
//	PadID = 0  "<pad>"  padding in batches
//	BOSID = 1  "<bos>"  beginning of sequence (decoder start)
//	EOSID = 2  "<eos>"  end of sequence
//	UnkID = 3  "<unk>"  any token not in the vocabulary
//
// [BuildVocab] counts tokens in a corpus and orders them by frequency, most
// frequent first, breaking ties by byte order of the token, so the same corpus
// always yields the same IDs.
//
// Vocabularies are stored as JSON with a format name and version:
//
//	{"format": "textgen-vocab", "version": 1, "tokenizer": "char",
//	 "tokens": ["<pad>", "<bos>", "<eos>", "<unk>", "这", "是", ...]}
//
// Version 2 adds a "normalizer" object and is written only when the
// normalizer is not the identity; version 1 files load with the identity
// normalizer. See [VocabVersion].
//
// [Vocab.Save] writes a temporary file in the target folder and renames it,
// so a crash never leaves a half-written vocabulary. [Load] and [ReadVocab]
// check everything and report problems as a [*VocabError] naming the file and
// what is wrong; bad input never panics.
package text
