#!/usr/bin/env python3
"""Reads a generated statistics report back through LibreOffice: the XLSX is converted to CSV
(every sheet, cells as shown) by headless soffice, and the cells must be the report's: the Chinese
title and headers, the values as formatted (so the workbook's number formats show what the CSV
export says), the target row and the definitions sheet. The met flags' colours are read from the
workbook's own XML (green fill for met, red for missed).

    xlsx_readback.py --tool build/tests/kpi_export_sample [--soffice soffice]

Needs libreoffice-calc-nogui (scripts/install-deps.sh)."""

import argparse
import csv
import os
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
GREEN, RED = "FFC6EFCE", "FFFFC7CE"


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [row for row in csv.reader(f)]


def fill_of(xlsx, sheet_part, ref):
    """The fill colour (ARGB) of cell `ref` of a sheet part, or None."""
    with zipfile.ZipFile(xlsx) as z:
        sheet = ET.fromstring(z.read(sheet_part))
        styles = ET.fromstring(z.read("xl/styles.xml"))
    cell = sheet.find(f".//m:c[@r='{ref}']", NS)
    if cell is None:
        return None
    xf = styles.find("m:cellXfs", NS)[int(cell.get("s", "0"))]
    fill = styles.find("m:fills", NS)[int(xf.get("fillId", "0"))]
    fg = fill.find("m:patternFill/m:fgColor", NS)
    return None if fg is None else fg.get("rgb")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--soffice", default="soffice")
    args = ap.parse_args()

    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    with tempfile.TemporaryDirectory() as tmp:
        xlsx = os.path.join(tmp, "report.xlsx")
        ours = os.path.join(tmp, "ours.csv")
        subprocess.run([args.tool, "--format", "xlsx", "--out", xlsx], check=True)
        subprocess.run([args.tool, "--format", "csv", "--out", ours], check=True)
        out = os.path.join(tmp, "out")
        profile = pathlib.Path(tmp, "profile").as_uri()
        # Filter options: comma, double quote, UTF-8, from line 1, cells as shown, every sheet
        # into its own file (the 12th token, -1).
        target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
        env = dict(os.environ, HOME=tmp)
        r = subprocess.run(
            [args.soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", target, "--outdir", out, xlsx],
            env=env, capture_output=True, text=True, timeout=240)
        sheet1 = os.path.join(out, "report-月报.csv")
        sheet2 = os.path.join(out, "report-指标说明.csv")
        if r.returncode != 0 or not os.path.exists(sheet1) or not os.path.exists(sheet2):
            print(r.stdout, r.stderr)
            print(f"readback: 0 passed, 1 failed")
            return 1

        rows = read_csv(sheet1)
        mine = read_csv(ours)
        check("title", rows[0][0] == "南宁市流动人口基本公共卫生计生服务统计月报 2026年11月",
              rows[0])
        check("subtitle", rows[1][0] == "统计期：2026-11-01 至 2026-11-30", rows[1])
        check("header row is the CSV's", rows[2] == mine[0], f"{rows[2]} vs {mine[0]}")
        check("body is the CSV's, cell for cell", rows[3:] == mine[1:], f"{rows[3:]} vs {mine[1:]}")
        check("Chinese headers", rows[2][:3] == ["单位代码", "单位名称", "流动人口数"], rows[2])
        check("rate header", rows[2][5] == "0-6岁儿童电子健康档案建档率", rows[2])
        check("city row", rows[3][:7] == ["450100", "南宁市", "1500", "853", "1000", "85.3%", "达标"],
              rows[3])
        check("mean days shown with one decimal", rows[4][9] == "2.3", rows[4])
        check("missed target", rows[4][6] == "未达标", rows[4])
        check("null rate", rows[5][5] == "—" and rows[5][3:5] == ["0", "0"], rows[5])
        check("target row", rows[6][1] == "目标值" and rows[6][5] == "80.0%", rows[6])

        defs = read_csv(sheet2)
        check("definitions header",
              defs[0] == ["指标代码", "指标名称", "类型", "分子", "分母", "目标值", "目标期限",
                          "依据", "状态", "DHIS2 数据元"], defs[0])
        rate = [d for d in defs if d and d[0] == "KEY_EHR_CHILD"]
        check("rate definition",
              len(rate) == 1 and rate[0][2] == "率" and rate[0][5] == "80.0%"
              and rate[0][6] == "2020-12-31" and rate[0][7] == "南宁市实施办法 四(一)", rate)

        # Spreadsheet rows are 1-based and the table starts on row 4: F4 is the city's rate.
        part = "xl/worksheets/sheet1.xml"
        check("met value is green", fill_of(xlsx, part, "F4") == GREEN, fill_of(xlsx, part, "F4"))
        check("met flag is green", fill_of(xlsx, part, "G4") == GREEN, fill_of(xlsx, part, "G4"))
        check("missed value is red", fill_of(xlsx, part, "F5") == RED, fill_of(xlsx, part, "F5"))
        check("missed flag is red", fill_of(xlsx, part, "G5") == RED, fill_of(xlsx, part, "G5"))
        check("no value, no colour", fill_of(xlsx, part, "F6") not in (GREEN, RED),
              fill_of(xlsx, part, "F6"))

    print(f"readback: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
