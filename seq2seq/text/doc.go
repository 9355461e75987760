// Package text turns strings into token IDs and back.
//
// A [Tokenizer] splits a string into tokens and joins tokens back into a
// string. [CharTokenizer], the one built in today, yields one token per
// user-perceived character (Unicode grapheme cluster), so Chinese text gets
// one token per 汉字, and emoji sequences such as 👩‍👩‍👧, flags such as 🇨🇳,
// skin-tone modifiers such as 👍🏽 and combining marks such as "e\u0301" each
// stay a single token. [TokenizerByName] looks a tokenizer up by the name
// stored in vocabulary files, so word tokenizers can be added later without
// changing the file format.
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
// [Vocab.Save] writes a temporary file in the target folder and renames it,
// so a crash never leaves a half-written vocabulary. [Load] and [ReadVocab]
// check everything and report problems as a [*VocabError] naming the file and
// what is wrong; bad input never panics.
package text
