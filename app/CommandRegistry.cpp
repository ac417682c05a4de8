#include "CommandRegistry.h"

namespace lens::app {

std::map<std::string, Command>& commandRegistry() {
    static std::map<std::string, Command> registry;
    return registry;
}

}  // namespace lens::app
