/* data/holidays.txt as it is (tools/embed-text.py; engine_holidays). */
#pragma once

extern const char engine_holidays_data[];
