// Boost.JSON compiled once for the whole program (its documented header-only mode).
#include <boost/json/src.hpp>
