package run

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Format identifies config.json files written by this package.
const Format = "textgen-run"

// Version is the config.json format version.
const Version = 1

// Config is one job: which data, which model, how to train. It is saved as config.json.
type Config struct {
	Format   string          `json:"format"`    // Always Format.
	Version  int             `json:"version"`   // Always Version.
	Task     string          `json:"task"`      // Task name: "dates", "reverse", "tsv" or one added with RegisterTask.
	Train    int             `json:"train"`     // Training examples generated (generated tasks).
	Valid    int             `json:"valid"`     // Validation examples (generated tasks).
	Test     int             `json:"test"`      // Held-out test examples (generated tasks).
	DataSeed int64           `json:"data_seed"` // Seed of the task generator and split.
	Model    seqmodel.Config `json:"model"`     // Model shape and initialisation seed.
	Loop     train.Config    `json:"loop"`      // Training loop.

	// Files of file-based tasks ("tsv": tab-separated source/target pairs, see data.ReadTSV). Relative paths
	// are resolved against the working directory; `textgen train` stores them absolute.
	TrainFile string `json:"train_file,omitempty"` // Training pairs; required by "tsv".
	ValidFile string `json:"valid_file,omitempty"` // Validation pairs; required by "tsv".
	TestFile  string `json:"test_file,omitempty"`  // Held-out pairs; empty: the validation pairs.

	// Character vocabulary built from the training pairs (text.BuildVocab): rarer characters encode as <unk>.
	VocabMinFreq int `json:"vocab_min_freq,omitempty"` // Keep characters seen at least this often; 0 or 1: all.
	VocabMaxSize int `json:"vocab_max_size,omitempty"` // Keep at most this many tokens (specials included); 0: no cap.
}

// DefaultConfig is the demo job: the date task with the default model and loop.
func DefaultConfig() Config {
	return Config{Format: Format, Version: Version, Task: "dates", Train: 20000, Valid: 500, Test: 1000,
		DataSeed: 1, Model: seqmodel.DefaultConfig(), Loop: train.DefaultConfig()}
}

// ErrConfig is wrapped by every error about a job configuration.
var ErrConfig = errors.New("invalid run config")

// Validate reports every field that is out of range or contradicts another, by its JSON path. The model's
// vocab_size may be 0 (it is set from the vocabulary).
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if c.Format != Format {
		bad("field \"format\" is %q, want %q", c.Format, Format)
	}
	if c.Version != Version {
		bad("field \"version\" is %d, this textgen reads version %d", c.Version, Version)
	}
	task, ok := tasks[c.Task]
	if !ok {
		bad("field \"task\": unknown task %q (tasks: %s)", c.Task, strings.Join(TaskNames(), ", "))
	} else if err := task.check(c); err != nil {
		errs = append(errs, fmt.Errorf("%w: %v", ErrConfig, err))
	}
	m := c.Model
	if m.VocabSize == 0 {
		m.VocabSize = 5 // set from the vocabulary later
	}
	if err := m.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: field \"model\": %v", ErrConfig, err))
	}
	if err := c.Loop.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: field \"loop\": %v", ErrConfig, err))
	}
	if c.VocabMinFreq < 0 {
		bad("field \"vocab_min_freq\" is %d, must be ≥ 0", c.VocabMinFreq)
	}
	if c.VocabMaxSize < 0 || (c.VocabMaxSize > 0 && c.VocabMaxSize < text.NumSpecial+1) {
		bad("field \"vocab_max_size\" is %d, must be 0 (no cap) or > %d (the special tokens)", c.VocabMaxSize, text.NumSpecial)
	}
	if c.Loop.Buckets > min(c.Model.MaxSource, c.Model.MaxTarget) && c.Model.MaxSource > 0 && c.Model.MaxTarget > 0 {
		bad("field \"loop.buckets\" is %d, more than \"model.max_source\" %d or \"model.max_target\" %d", c.Loop.Buckets,
			c.Model.MaxSource, c.Model.MaxTarget)
	}
	return errors.Join(errs...)
}

// DecodeConfig reads a job configuration from r (name is used in errors). Fields left out keep their
// DefaultConfig values; unknown fields are errors naming the field. The result is validated (vocab_size may
// be 0).
func DecodeConfig(r io.Reader, name string) (Config, error) {
	cfg := DefaultConfig()
	b, err := io.ReadAll(r)
	if err != nil {
		return cfg, fmt.Errorf("%w: %s: %v", ErrConfig, name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line := 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n"))
			return cfg, fmt.Errorf("%w: %s:%d: invalid JSON: %v", ErrConfig, name, line, err)
		case errors.As(err, &te):
			return cfg, fmt.Errorf("%w: %s: field %q: %s is not a %s", ErrConfig, name, te.Field, te.Value, te.Type)
		}
		return cfg, fmt.Errorf("%w: %s: %v", ErrConfig, name, err) // e.g. json: unknown field "colour"
	}
	if dec.More() {
		return cfg, fmt.Errorf("%w: %s: more than one JSON value", ErrConfig, name)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, nil
}

// ParseConfig reads a job configuration file (see DecodeConfig).
func ParseConfig(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return DefaultConfig(), fmt.Errorf("%w: %v", ErrConfig, err)
	}
	defer f.Close()
	return DecodeConfig(f, path)
}

// ReadConfig reads and checks a run folder's config.json: as ParseConfig, and the model's vocab_size must be set.
// Every error wraps ErrCorrupt.
func ReadConfig(path string) (Config, error) {
	cfg, err := ParseConfig(path)
	if err != nil {
		return cfg, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err := cfg.Model.Validate(); err != nil {
		return cfg, fmt.Errorf("%w: %s: field \"model\": %v", ErrCorrupt, path, err)
	}
	return cfg, nil
}

// diffFields lists the JSON paths where a and b differ (e.g. "loop.learning_rate"), sorted.
func diffFields(a, b Config) []string {
	flat := func(c Config) map[string]string {
		raw, _ := json.Marshal(c)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		out := map[string]string{}
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			if o, ok := v.(map[string]any); ok {
				for k, x := range o {
					walk(strings.TrimPrefix(prefix+"."+k, "."), x)
				}
				return
			}
			s, _ := json.Marshal(v)
			out[prefix] = string(s)
		}
		walk("", m)
		return out
	}
	fa, fb := flat(a), flat(b)
	var diff []string
	for k, v := range fa {
		if fb[k] != v {
			diff = append(diff, k)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			diff = append(diff, k)
		}
	}
	slices.Sort(diff)
	return diff
}
