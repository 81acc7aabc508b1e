#include "server/analytics/occupancy.h"
