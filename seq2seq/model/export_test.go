package model

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
)

// DecodeTeacherForced exposes the decoder half of TeacherForced to the tests, which share one encoder between
// several decoders to keep the number of compiled graphs small: enc from Encode, tgtIn [B,T] → logits
// [B,T,V] and attention [B,T,S] (nil without attention).
func (m *Seq2Seq) DecodeTeacherForced(scope *model.Scope, enc Encoded, tgtIn *Node) (logits, attention *Node) {
	return m.decodeTeacherForced(scope, enc, tgtIn)
}

// GreedyFrom exposes the decoder half of Greedy to the tests: enc from Encode → tokens [B,steps] int32 and
// attention [B,steps,S].
func (m *Seq2Seq) GreedyFrom(scope *model.Scope, enc Encoded, steps int) (tokens, attention *Node) {
	return m.greedyFrom(scope, enc, steps)
}
