/* Preloaded into the Swift server when scripts/count-instructions runs it under valgrind.

   Valgrind's sigsuspend wrapper writes into the signal mask the program passes (it takes
   its own signals out of it). libdispatch, which Swift's async main ends in, passes a mask
   in read-only memory, so valgrind itself dies with SIGSEGV as the server starts (valgrind
   3.19, Debian 12). This sigsuspend hands the kernel a copy on the stack instead; the
   program sees no difference. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, (size_t)8); /* the kernel's sigset is 8 bytes */
}
