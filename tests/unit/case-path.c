/* case-path: prints the store folder of each case ID read from stdin, one per line (for bench/gen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"

int
main(void)
{
	char line[256];

	while (fgets(line, sizeof line, stdin) != NULL) {
		char *dir;

		line[strcspn(line, "\n")] = '\0';
		if (case_id_check(line) < 0)
			return 2;
		dir = case_dir(line);
		puts(dir);
		free(dir);
	}
	return 0;
}
