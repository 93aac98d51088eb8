"""`./lab merge-results`: one report from the shards of a sharded grade.

    ./lab grade raft --runs 20 --seed 7 --shard 1/4 --results shard1.json   # machine 1
    ...                                     --shard 4/4 --results shard4.json   # machine 4
    ./lab merge-results shard*.json --results results.json [--junit junit.xml]

Each shard's results.json carries, under extra_data.grader, the manifests it graded with, the
full plan (which runs exist) and its own runs' results. Merging checks that the files are
shards 1..n of the same plan, made with the same manifests, that no run is missing or
duplicated, then scores the union exactly as one machine would have.
"""

import json
import sys

from . import gradescope, junit, table
from .grade import RESULTS_FORMAT
from .manifest import ManifestError, parse_manifest
from .plan import PlannedRun
from .results import RunResult
from .scoring import score, total


class MergeError(Exception):
    pass


def add_arguments(parser):
    parser.add_argument("shards", nargs="+", metavar="SHARD.json",
                        help="results.json files written by ./lab grade --shard i/n --results")
    parser.add_argument("--results", metavar="FILE", help="write the merged results.json")
    parser.add_argument("--junit", metavar="FILE", help="write the merged JUnit XML")


def run(args, root):
    try:
        plan, results, data = merge_files(args.shards)
    except MergeError as e:
        print(f"merge-results: {e}", file=sys.stderr)
        return 2
    scores = score(plan, results)
    report = table.render(scores, notes=[f"merged {len(args.shards)} shard(s)"])
    print(report, end="")
    if args.results:
        elapsed = sum(r.seconds for r in results)
        gradescope.write(gradescope.results_document(scores, elapsed, report, data),
                         args.results)
    if args.junit:
        junit.write(scores, args.junit)
    earned, possible = total(scores)
    return 0 if earned >= possible else 1


def merge_files(paths):
    """Reads shard files and returns (plan, results, merged grader data)."""
    shards = [(p, _grader_data(p)) for p in paths]
    first_path, first = shards[0]
    n = _check_shards(shards)
    for path, data in shards[1:]:
        if data.get("plan_id") != first.get("plan_id"):
            raise MergeError(f"{path} graded a different plan than {first_path} (other tests "
                             "or run counts)")
        if data.get("manifests") != first.get("manifests"):
            raise MergeError(f"{path} was graded with other manifests than {first_path}")
    manifests = {}
    for lab, raw in first.get("manifests", {}).items():
        try:
            manifests[lab] = parse_manifest(raw, source=f"{first_path}: manifest of {lab}")
        except ManifestError as e:
            raise MergeError(str(e)) from None
    by_key = {}
    for path, data in shards:
        for value in data.get("results", []):
            result = _result(path, value)
            if result.key in by_key:
                raise MergeError(f"{path}: run {result.key} also appears in another shard")
            by_key[result.key] = result
    plan, results = [], []
    for key in (tuple(k) for k in first.get("plan", [])):
        if key not in by_key:
            raise MergeError(f"no shard has a result for {key[0]}/{key[1]} run {key[2] + 1}; "
                             f"were all {n} shards given?")
        result = by_key.pop(key)
        plan.append(PlannedRun(manifest=manifests[key[0]], test=_test(manifests, key),
                               run_index=key[2], seed=result.seed))
        results.append(result)
    if by_key:
        raise MergeError(f"results for runs outside the plan: {sorted(by_key)[:3]}")
    merged = dict(first, shard=None, results=[r.to_dict() for r in results])
    return plan, results, merged


def _grader_data(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise MergeError(f"{path}: cannot read: {e}") from None
    data = doc.get("extra_data", {}).get("grader") if isinstance(doc, dict) else None
    if not isinstance(data, dict):
        raise MergeError(f"{path}: no extra_data.grader (not written by ./lab grade?)")
    if data.get("format") != RESULTS_FORMAT:
        raise MergeError(f"{path}: results format {data.get('format')}, expected "
                         f"{RESULTS_FORMAT} (written by another version of the grader)")
    return data


def _check_shards(shards):
    """All files are distinct shards i/n of one n, and all n are present. Returns n."""
    seen = {}
    for path, data in shards:
        shard = data.get("shard")
        if not shard:
            raise MergeError(f"{path} is not a shard (graded without --shard)")
        i, n = shard
        if i in seen:
            raise MergeError(f"{path} and {seen[i]} are both shard {i}/{n}")
        seen[i] = path
    ns = {data["shard"][1] for _, data in shards}
    if len(ns) != 1:
        raise MergeError(f"shards of different splits: n = {sorted(ns)}")
    n = ns.pop()
    missing = [f"{i}/{n}" for i in range(1, n + 1) if i not in seen]
    if missing:
        raise MergeError(f"missing shard(s) {', '.join(missing)}")
    return n


def _result(path, value):
    try:
        return RunResult.from_dict(value)
    except (TypeError, ValueError, KeyError) as e:
        raise MergeError(f"{path}: malformed run result: {e}") from None


def _test(manifests, key):
    lab, name, _ = key
    for t in manifests[lab].tests():
        if t.name == name:
            return t
    raise MergeError(f"the plan names {lab}/{name}, which its manifest does not have")
