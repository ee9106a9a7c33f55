package main

import (
	"fmt"
	"strings"
)

// stage is one stage of the course, as labs/stages.json describes it. The
// table itself, stages, is in stages_gen.go, generated from that file by
// cmake/Stages.cmake (the test goref_stage_table keeps the copy current).
type stage struct {
	number   int
	slug     string
	folder   string
	title    string
	server   string // what the server does at this stage, in a few words
	files    []string
	features features
	workload string
}

// lastStage is the number of the course's last stage.
func lastStage() uint64 { return uint64(len(stages) - 1) }

// featuresFor is what --stage N switches on.
func featuresFor(n uint64) features { return stages[n].features }

func stageRange(first, last int) string {
	if first == last {
		return fmt.Sprint(first)
	}
	return fmt.Sprintf("%d to %d", first, last)
}

// describeStageChoices is --stage's choices in words, as papayad says them
// (chatserver/lib/stage.cpp): consecutive stages with the same features are
// one range, named by its first stage.
func describeStageChoices() string {
	var parts []string
	for first := 0; first < len(stages); {
		last := first
		for last+1 < len(stages) && stages[last+1].features == stages[first].features {
			last++
		}
		parts = append(parts, stageRange(first, last)+" "+stages[first].server)
		first = last + 1
	}
	return strings.Join(parts, ", ")
}

// authenticatingStages names the stages whose server authenticates, e.g. "4 to 6".
func authenticatingStages() string {
	first, last := -1, -1
	for _, s := range stages {
		if s.features.authenticate {
			if first < 0 {
				first = s.number
			}
			last = s.number
		}
	}
	if first < 0 {
		return "none"
	}
	return stageRange(first, last)
}
