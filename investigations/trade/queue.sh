#!/bin/bash
# usage: queue.sh NAME [overrides...]: battery then hindcast (500 runs), one after the other
cd /work/wt-tradeinv
name=$1; shift
PY=/work/main/.venv/bin/python
$PY -m sim.plausibility --quiet --out /tmp/w/ti/plaus_$name "$@" > /tmp/w/ti/plaus_$name.log 2>&1
$PY -m sim.hindcast --runs 500 --quiet --out /tmp/w/ti/hc_$name "$@" > /tmp/w/ti/hc_$name.log 2>&1
echo done $name >> /tmp/w/ti/queue.done
