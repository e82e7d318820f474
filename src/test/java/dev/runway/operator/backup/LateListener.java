package dev.runway.operator.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that refuses connections for a while and then forwards each one to a database
 * server: a server that is out of reach at first, as one failing over or behind a pod network that
 * is still coming up. The port is reserved up front and closed again, so that until the delay has
 * passed a connection to it is refused.
 */
final class LateListener implements AutoCloseable {
    private final int port;
    private final Thread opener;
    private final List<AutoCloseable> open = new ArrayList<>();
    private volatile boolean closed;

    private LateListener(String host, int targetPort, Duration delay) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        opener = new Thread(() -> serve(host, targetPort, delay), "late-listener-" + port);
        opener.setDaemon(true);
    }

    /** Listens on a free loopback port after DELAY, forwarding to HOST:TARGET_PORT. */
    static LateListener forwarding(String host, int targetPort, Duration delay) throws IOException {
        LateListener listener = new LateListener(host, targetPort, delay);
        listener.opener.start();
        return listener;
    }

    int port() {
        return port;
    }

    private void serve(String host, int targetPort, Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            if (closed) {
                return;
            }
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            track(server);
            while (!closed) {
                Socket in = server.accept();
                Socket out = new Socket(host, targetPort);
                track(in);
                track(out);
                pipe(in, out);
                pipe(out, in);
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    private synchronized void track(AutoCloseable c) {
        open.add(c);
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException e) {
                    // already closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        opener.interrupt();
    }
}
