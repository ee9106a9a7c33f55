# results.json in Gradescope's format from the course grader's own results
# (tools/classroom/run_autograder): input, the `papaya_grade --json` file of
# every test that finished; $order, every test of the graded stages, one a line,
# in stage order; $missing, the tests that left no result (timed out, or the
# grader failed); $points, the points of each suite (tests/classroom/points.json).

def stage_of: capture("^Lab(?<k>[0-9]+)\\.").k | tonumber;

def entry:
  {name, tags: ["lab \(.suite_stage)"], visibility: "visible"}
  + if .status == "pass" then
      {score: .points, max_score: .max_points, status: "passed", output: "Passed in \(.seconds) s."}
    elif .status == "fail" then
      {score: 0, max_score: .max_points, status: "failed",
       output: (.failure + (if (.hint // "") != "" then "Hint: \(.hint)\n" else "" end))}
    else  # N/A: counts in no total, shown with its reason
      {score: 0, max_score: 0, output: "Not applicable (0/0): \(.reason | sub("^not applicable: *"; ""))\n"}
    end;

([inputs | .tests[]] | map({key: .name, value: .}) | from_entries) as $ran
| ($missing | map({key: .name, value: .}) | from_entries) as $lost
| [$order | split("\n")[] | select(. != "")] as $names
# A test that left no result declared its points nowhere: the suite's points
# minus those of its tests that reported go to the first such test of the suite.
| (reduce $names[] as $n ({};
     if $ran[$n] == null and $lost[$n] != null and (has($n | stage_of | tostring) | not)
     then .[$n | stage_of | tostring] = $n else . end)) as $first_lost
| [$names[] as $n
   | if $ran[$n] != null then $ran[$n] | entry
     else ($n | stage_of) as $k
       | {name: $n, tags: ["lab \($k)"], visibility: "visible", score: 0, status: "failed",
          max_score: (if $first_lost[$k | tostring] == $n
                      then $points[0][$k | tostring] - ([$ran[] | select(.suite_stage == $k) | .max_points] | add // 0)
                      else 0 end),
          output: ((if $lost[$n].timed_out then "Stopped: the test did not finish within \($lost[$n].limit) s (a server that never answers, or never exits?).\n"
                    elif $lost[$n].not_run then "Not run: the autograder's time for the whole run was spent before this test.\n"
                    else "The grader left no result for this test (it crashed?).\n" end)
                   + "Rerun only this test:\n  \($rerun) \($n)\n"
                   + (if $lost[$n].log != "" then "The grader's last lines:\n\($lost[$n].log)\n" else "" end))}
     end] as $tests
| ([$tests[].score] | add // 0) as $score
| ([$tests[].max_score] | add // 0) as $max
| {score: $score, execution_time: $seconds, output_format: "text", visibility: "visible",
   output: ($summary + "Score: \($score)/\($max) (labs 0..\($stage)); N/A tests count in no total.\n"),
   tests: $tests}
