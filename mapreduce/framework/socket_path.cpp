#include "mapreduce/framework/socket_path.h"

#include <unistd.h>

#include <cstdlib>

namespace mr {

std::string CoordinatorSock() {
  const char* from_env = std::getenv(kSocketEnvVar);
  if (from_env != nullptr && from_env[0] != '\0') return from_env;
  return "/var/tmp/824-mr-" + std::to_string(getuid());
}

}  // namespace mr
