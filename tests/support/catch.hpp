#pragma once
// One place that names the Catch2 header (v2 on Debian 12), so a move to v3 touches one file.
#include <catch2/catch.hpp>
