package bench

import "fmt"

// Reserved token ids, the same as seq2seq/text's.
const (
	PadID = 0
	BOSID = 1
	EOSID = 2
)

// Batch is one batch of the synthetic reversal task, row-major int32: Src [B,S], TgtIn [B,T], TgtOut [B,T].
type Batch struct {
	Src, TgtIn, TgtOut []int32
}

// lcg is the linear congruential generator that Data shares with the Python peers (Numerical Recipes'
// constants, modulo 2³²): a tiny generator written out so that Go and Python produce the same batches bit for
// bit (math/rand's streams are not specified across languages).
type lcg uint32

func (g *lcg) next() uint32 {
	*g = *g*1664525 + 1013904223
	return uint32(*g) >> 8
}

// Data returns n batches of the reversal task for c, generated from seed: each source row holds S−1 random
// tokens in [4,V) then the end token; its target is the same tokens reversed then the end token; TgtIn is the
// begin token followed by the target shifted right. There is no padding, so every framework sees B·T real target
// tokens per batch. bench/peers/common.py implements the same generator.
func Data(c Config, n int, seed uint32) ([]Batch, error) {
	if c.Source != c.Target {
		return nil, fmt.Errorf("bench: config %s: the reversal task needs source (%d) = target (%d)", c.Name, c.Source, c.Target)
	}
	if c.Vocab <= 4 || c.Source < 2 {
		return nil, fmt.Errorf("bench: config %s: vocab %d must be > 4 and source %d ≥ 2", c.Name, c.Vocab, c.Source)
	}
	g := lcg(seed)
	B, S, T := c.Batch, c.Source, c.Target
	out := make([]Batch, n)
	for i := range out {
		b := Batch{Src: make([]int32, B*S), TgtIn: make([]int32, B*T), TgtOut: make([]int32, B*T)}
		for r := range B {
			src := b.Src[r*S : (r+1)*S]
			for s := range S - 1 {
				src[s] = int32(4 + g.next()%uint32(c.Vocab-4))
			}
			src[S-1] = EOSID
			out, in := b.TgtOut[r*T:(r+1)*T], b.TgtIn[r*T:(r+1)*T]
			for t := range T - 1 {
				out[t] = src[S-2-t]
			}
			out[T-1] = EOSID
			in[0] = BOSID
			copy(in[1:], out[:T-1])
		}
		out[i] = b
	}
	return out, nil
}
