#include "engine/engine_pauses.h"

const EnginePauses engine_pauses_default = {
        .reading_trouble_s = 600,
        .connection_trouble_s = 300,
        .lasting_trouble_s = 3600,
        .retry_base_s = 900,
        .max_retries = 5,
        .soft_bounce_s = 86400,
        .max_soft_bounces = 3,
        .junk_every_s = 600,
};
