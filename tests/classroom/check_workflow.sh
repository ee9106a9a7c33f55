#!/usr/bin/env bash
# classroom.workflow: the GitHub Classroom workflow (it cannot run here)
# checked against the stage table, the suites' points and tools/course's
# packages: one command-grader step per stage, `tools/course grade N` worth
# suite N's points, and a reporter over every step.
#   check_workflow.sh WORKFLOW_YML COURSE POINTS_JSON
set -euo pipefail
yml="$1" course="$2" points="$3"
# YAML to JSON with Debian's python3-yaml (exit 77: ctest's skip, when missing).
json="$(python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' "$yml")" || {
  echo "cannot read $yml as YAML (needs python3 and python3-yaml)"; exit 77; }
packages="$(sed -n 's/^PACKAGES=(\(.*\))$/\1/p' "$course/tools/course")"
[ -n "$packages" ] || { echo "no PACKAGES=(...) line in tools/course"; exit 1; }
if ! jq -e --slurpfile stages "$course/labs/stages.json" --slurpfile points "$points" --arg packages "$packages" '
    [.jobs[].steps[]] as $steps
    | [$steps[] | select((.uses // "") | startswith("education/autograding-command-grader@"))] as $graders
    | [$steps[] | select((.uses // "") | startswith("education/autograding-grading-reporter@"))] as $reporters
    | ($stages[0].stages | length) as $count
    | [$steps[] | .run // "" | splits("[ \n]+")] as $words
    | ($graders | length) == $count
    and ([range(0; $count) as $n | $graders[$n]
          | .id == "lab\($n)" and .with.command == "tools/course grade \($n)"
            and .with["max-score"] == $points[0]["\($n)"] and .with.timeout > 0] | all)
    and ($reporters | length) == 1 and ($reporters[0] | .with.runners == ($graders | map(.id) | join(",")))
    and ([$graders[].id as $id | $reporters[0].env["\($id | ascii_upcase)_RESULTS"] == "${{steps.\($id).outputs.result}}"] | all)
    and ([$packages | splits(" +") | select(. != "")] - $words | length) == 0
  ' <<<"$json" >/dev/null; then
  echo "$yml does not match labs/stages.json, the suites' points ($points) or tools/course's PACKAGES;"
  echo "regenerate it: tools/classroom/make-workflow $points \"\$PACKAGES\" > tools/classroom/classroom.yml"
  exit 1
fi
echo "$yml: one step per stage ($(jq '.stages | length' "$course/labs/stages.json")), points and packages as the course has them"
