#pragma once
// Settings are stored as float; written to JSON they should read 0.99, not 0.9900000095367432.

#include <cstdio>
#include <cstdlib>

namespace layerlens::core::detail {

inline double jsonFloat(float value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.7g", static_cast<double>(value));
    return std::strtod(text, nullptr);
}

}  // namespace layerlens::core::detail
