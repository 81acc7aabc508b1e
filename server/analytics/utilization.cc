#include "server/analytics/utilization.h"
