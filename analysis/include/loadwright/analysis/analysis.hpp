#pragma once
// Everything of loadwright::analysis: the statistics behind sweep, find_max, capacity and
// compare (issue 17). Pure: no I/O, no threads, no global state; Boost.Math and the standard
// library only. See analysis/README.md for each function's definition and reference.

#include "loadwright/analysis/bootstrap.hpp"
#include "loadwright/analysis/capacity.hpp"
#include "loadwright/analysis/descriptive.hpp"
#include "loadwright/analysis/ks.hpp"
#include "loadwright/analysis/lengths.hpp"
#include "loadwright/analysis/random.hpp"
#include "loadwright/analysis/tost.hpp"
#include "loadwright/analysis/types.hpp"
#include "loadwright/analysis/verdict.hpp"
#include "loadwright/analysis/welch.hpp"
#include "loadwright/analysis/wilcoxon.hpp"
