#!/usr/bin/env python3
"""Checks siitdc-dashboard.json: valid JSON, a Grafana dashboard whose panels have unique ids, a place on the
grid and at least one query each; every query's PromQL (Grafana's $variables given sample values) is written to
a rules file for `promtool check rules`, so that a typo in an expression fails here, not in Grafana.

    python3 packaging/prometheus/check-dashboard.py packaging/prometheus/siitdc-dashboard.json [RULES-OUT.yml]
"""
import json
import sys


def main(path, rules_out=None):
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)
    problems = []
    for key in ("title", "uid", "panels", "schemaVersion"):
        if key not in dash:
            problems.append(f"{path}: no {key}")
    ids, exprs = set(), []
    for p in dash.get("panels", []):
        where = f"{path}: panel {p.get('id')} \"{p.get('title')}\""
        if p.get("id") in ids:
            problems.append(f"{where}: id used twice")
        ids.add(p.get("id"))
        grid = p.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")):
            problems.append(f"{where}: gridPos needs x, y, w and h")
        targets = p.get("targets") or []
        if not targets:
            problems.append(f"{where}: no query")
        for t in targets:
            expr = t.get("expr", "").strip()
            if not expr:
                problems.append(f"{where}: target {t.get('refId')} has no expr")
            exprs.append(expr.replace("$__rate_interval", "5m").replace("$instance", ".*"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if rules_out:
        with open(rules_out, "w", encoding="utf-8") as f:
            f.write("groups:\n  - name: dashboard\n    rules:\n")
            for i, e in enumerate(exprs):
                f.write(f"      - record: dashboard:query{i}\n        expr: {json.dumps(e)}\n")
    print(f"{path}: {len(ids)} panels, {len(exprs)} queries" + ("" if not problems else f", {len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
