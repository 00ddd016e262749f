package dev.duplex.websocket.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@link Main}. */
interface Command {

    /**
     * Runs with the arguments after the command name.
     *
     * @return the process exit status: 0 success, 1 failure, 2 bad usage
     */
    int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception;
}
