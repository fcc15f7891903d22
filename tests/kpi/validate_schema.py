#!/usr/bin/env python3
"""Checks the DHIS2 dataValueSets document the statistics module emits against
data/kpi/schema/dataValueSets.schema.json, and checks that the schema rejects broken documents
(a schema that accepts anything would pass the first check too).

    validate_schema.py --tool build/tests/kpi_export_sample --schema data/kpi/schema/...json

Needs Debian's python3-jsonschema (scripts/install-deps.sh)."""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    sys.exit("validate_schema.py: python3-jsonschema is missing (scripts/install-deps.sh)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--schema", required=True)
    args = ap.parse_args()

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "dataValueSets.json")
        subprocess.run([args.tool, "--format", "json", "--out", out], check=True)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)

    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name} {detail}")

    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    check("sample is valid", not errors,
          "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))

    values = doc.get("dataValues", [])
    check("sample has many values", len(values) > 20, str(len(values)))
    city_count = [v for v in values
                  if v["dataElement"] == "RegFloat001" and v["orgUnit"] == "450100"]
    check("a count is one value in the default combo",
          len(city_count) == 1 and "categoryOptionCombo" not in city_count[0]
          and city_count[0]["value"] == "1500", json.dumps(city_count))
    city_rate = [v for v in values
                 if v["dataElement"] == "KeyEhrChild" and v["orgUnit"] == "450100"]
    check("a rate is its numerator and denominator",
          sorted((v.get("categoryOptionCombo"), v["value"]) for v in city_rate)
          == [("JD_DEN", "1000"), ("JD_NUM", "853")], json.dumps(city_rate))
    check("top-level period", doc.get("period") == "202611", str(doc.get("period")))

    # Each mutation breaks one rule the receiver depends on; the schema must reject every one.
    def mutate(fn):
        d = copy.deepcopy(doc)
        fn(d)
        return d

    def first(d):
        return d["dataValues"][0]

    broken = {
        "value as a JSON number": lambda d: first(d).__setitem__("value", 1500),
        "value with an exponent": lambda d: first(d).__setitem__("value", "1e5"),
        "value that is a rate in percent": lambda d: first(d).__setitem__("value", "85.3%"),
        "value missing": lambda d: first(d).pop("value"),
        "dataElement missing": lambda d: first(d).pop("dataElement"),
        "dataElement of 10 characters": lambda d: first(d).__setitem__("dataElement", "RegFloat00"),
        "dataElement starting with a digit":
            lambda d: first(d).__setitem__("dataElement", "1egFloat001"),
        "period with a dash": lambda d: first(d).__setitem__("period", "2026-11"),
        "period month 13": lambda d: first(d).__setitem__("period", "202613"),
        "period quarter 5": lambda d: first(d).__setitem__("period", "2026Q5"),
        "orgUnit by name": lambda d: first(d).__setitem__("orgUnit", "Nanning"),
        "orgUnit of 7 digits": lambda d: first(d).__setitem__("orgUnit", "4501001"),
        "orgUnit missing": lambda d: first(d).pop("orgUnit"),
        "combo with a space": lambda d: first(d).__setitem__("categoryOptionCombo", "JD NUM"),
        "unknown data value field": lambda d: first(d).__setitem__("rate", "0.853"),
        "unknown top-level field": lambda d: d.__setitem__("target", "0.8"),
        "orgUnitIdScheme UID": lambda d: d.__setitem__("orgUnitIdScheme", "UID"),
        "dataValues missing": lambda d: d.pop("dataValues"),
        "dataValues an object": lambda d: d.__setitem__("dataValues", {}),
        "dataSet not a UID": lambda d: d.__setitem__("dataSet", "JD_KPI_MONTHLY"),
    }
    for name, fn in broken.items():
        check(f"rejects {name}", not validator.is_valid(mutate(fn)))

    print(f"schema: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
