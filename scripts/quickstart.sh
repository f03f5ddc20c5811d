#!/usr/bin/env bash
# Install zfxxgk and run its main job end to end on examples/ (fresh Debian 12, Python 3.11):
# templates for the demo county's roster, the seed report checked and published, and the demo
# county's returns compiled into 汇总.xlsx and a draft county report. Everything lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import ensurepip" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check ".[serve]"
Z=.venv/bin/zfxxgk
mkdir -p out

echo "== 1. 生成填报模板（每个单位一个）"
$Z template --year 2025 --roster examples/county-demo/roster.csv -o out/templates --force

echo "== 2. 校验清河县行政审批局2022年报表，生成可发布的报告"
QH="examples/qinghe-2022/清河县行政审批局_2022年度政府信息公开年报.xlsx"
$Z check "$QH" --year 2022
$Z report "$QH" -o out/清河县行政审批局2022年政府信息公开工作年度报告.docx
$Z report "$QH" -o out/清河县行政审批局2022年政府信息公开工作年度报告.html

echo "== 3. 汇总示范县各单位报表"
$Z compile examples/county-demo/returns --roster examples/county-demo/roster.csv --year 2025 \
  -o out/示范县2025年汇总.xlsx --report out/示范县2025年政府信息公开工作年度报告（汇总稿）.docx \
  --csv out/示范县2025年明细长表.csv
ls -1 out
