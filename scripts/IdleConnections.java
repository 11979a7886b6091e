import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens COUNT connections to HOST:PORT, keeps them open and silent for SECONDS, then closes them
 * (scripts/bench.sh measures the central's memory meanwhile). Run as a source file:
 * {@code java scripts/IdleConnections.java HOST PORT COUNT SECONDS}.
 */
public final class IdleConnections {
    public static void main(String[] args) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            sockets.add(new Socket(args[0], Integer.parseInt(args[1])));
        }
        System.out.println(sockets.size() + " idle connections open");
        Thread.sleep(Long.parseLong(args[3]) * 1000);
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
