/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A main() for a harness without libFuzzer: every file named (or in a
 * directory named, in name order) is read and passed to
 * LLVMFuzzerTestOneInput, so that `make check` replays the corpus
 * through the same code with any compiler.  Each file's name goes to
 * stdout before it runs: after a crash, the last line names the input.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	printf("%s\n", path);
	fflush(stdout);
	/* a copy of exactly len bytes: ASan sees a read past the input */
	{
		uint8_t *in = malloc(len ? len : 1);

		if (in) {
			memcpy(in, buf, len);
			LLVMFuzzerTestOneInput(in, len);
			free(in);
		}
	}
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned long *files)
{
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	int bad = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "%s: cannot open\n", dir);
		return 1;
	}
	while ((de = readdir(d))) {
		char **nn;

		if (de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			closedir(d);
			return 1;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		bad |= run_file(path);
		(*files)++;
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long files = 0;
	struct stat st;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode)) {
			bad |= run_dir(argv[i], &files);
		} else {
			bad |= run_file(argv[i]);
			files++;
		}
	}
	printf("%lu inputs\n", files);
	return bad;
}
