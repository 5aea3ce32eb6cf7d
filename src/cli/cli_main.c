#include "base/base_log.h"
#include "cli/cli_command.h"

#include <locale.h>

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	base_log_init(BASE_LOG_NORMAL);
	return cli_command_dispatch(argc, argv);
}
