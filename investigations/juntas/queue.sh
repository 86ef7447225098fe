#!/bin/bash
# usage: queue.sh NAME [overrides...]: battery then hindcast (500 runs), one after the other
cd /work/wt-juntainv
name=$1; shift
PY=/work/main/.venv/bin/python
$PY -m sim.plausibility --quiet --out /tmp/w/ji/plaus_$name "$@" > /tmp/w/ji/plaus_$name.log 2>&1
$PY -m sim.hindcast --runs 500 --quiet --out /tmp/w/ji/hc_$name "$@" > /tmp/w/ji/hc_$name.log 2>&1
echo done $name $(date +%T) >> /tmp/w/ji/queue.done
