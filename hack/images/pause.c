/* The sandbox ("pause") process of the real node's pods: holds the pod's namespaces, sleeps until
 * SIGTERM or SIGINT and reaps any child re-parented to it. Built with gcc -static by hack/images.sh. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }

int main(void) {
  signal(SIGTERM, quit);
  signal(SIGINT, quit);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
