/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A 32-bit demo linked by hand against the i386 C library (no crt files
 * or headers here): malloc/realloc/free, a fork, a thread. */
typedef unsigned long size_t;
extern void *malloc(size_t);
extern void *realloc(void *, size_t);
extern void free(void *);
extern void *memset(void *, int, size_t);
extern int fork(void);
extern int waitpid(int, int *, int);
extern void _exit(int);
extern int pthread_create(unsigned long *, const void *, void *(*)(void *), void *);
extern int pthread_join(unsigned long, void **);
extern int puts(const char *);

static void *worker(void *arg)
{
	char *p = malloc(200000);

	memset(p, 1, 200000);
	free(p);
	return arg;
}

int main(void)
{
	char *small = malloc(100), *big = malloc(1 << 20);
	unsigned long t;
	int pid, st;

	memset(small, 0, 100);
	memset(big, 0, 1 << 20);
	big = realloc(big, 2 << 20);
	memset(big, 0, 2 << 20);
	pid = fork();
	if (pid == 0) {
		memset(big, 1, 4096);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	pthread_create(&t, 0, worker, 0);
	pthread_join(t, 0);
	free(big);
	free(small);
	puts("done");
	return 0;
}
