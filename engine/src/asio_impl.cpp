// Asio, Asio.SSL and Beast compiled once for the whole program (separate compilation):
// every other file includes their headers without instantiating the implementation.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
