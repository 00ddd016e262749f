package dev.duplex.websocket.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the {@code websocket-cli} jar: {@code java -jar websocket-cli.jar COMMAND
 * [OPTIONS] URL}. One class per command; new commands register in {@link #COMMANDS}.
 */
public final class Main {

    /** Exit status for a bad command line. */
    static final int USAGE = 2;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("connect", new ConnectCommand());
        COMMANDS.put("echo-client", new EchoClientCommand());
        COMMANDS.put("echo-server", new EchoServerCommand());
    }

    private Main() {}

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command named by {@code args[0]} and returns its exit status; never exits the JVM. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            err.println(usage());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return COMMANDS.get(args[0]).run(rest, in, out, err);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return USAGE;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    static String usage() {
        return String.join(
                "\n",
                "usage: websocket-cli COMMAND [OPTIONS] [URL]",
                "commands:",
                "  connect URL       send stdin lines as text messages, print what arrives",
                "  echo-client URL   send back every message received; exit 0 on a normal close",
                "  echo-server [--host H] [--port P] [--path /echo] [--tls]",
                "                    serve an endpoint that echoes every message; port 0 picks one;",
                "                    --tls makes a self-signed certificate and prints its fingerprint;",
                "                    Ctrl-C closes every connection with 1001 and exits",
                "client options:",
                "  --header NAME:VALUE   add a handshake header (repeatable)",
                "  --subprotocol NAME    offer a subprotocol (repeatable, most preferred first)",
                "  --insecure            accept any TLS certificate and host name (tests only)");
    }
}
