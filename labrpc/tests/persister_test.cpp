#include "labrpc/testing/test.h"
