package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** iperf3 client runs from the lab's client to the iperf3 server on ER A's IPv4 Service Address (-J output). */
public final class Iperf {
    private Iperf() {}

    /**
     * One run's totals, from the receiver's side.
     *
     * @param bytes         bytes the receiver got (end.sum_received)
     * @param bitsPerSecond the receiver's rate
     * @param packets       UDP: datagrams the receiver counted (received + lost); TCP: 0
     * @param lost          UDP: datagrams lost; TCP: 0
     * @param seconds       the run's length
     * @param json          iperf3's output
     */
    public record Result(long bytes, double bitsPerSecond, long packets, long lost, double seconds, String json) {
        /** UDP datagrams received per second. */
        public double receivedPps() {
            return seconds > 0 ? (packets - lost) / seconds : 0;
        }
    }

    /** {@code iperf3 -c ER-A ... -J ARGS} from the client; throws unless it succeeds. */
    public static Result run(Lab lab, int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", Plan.A.v4(), "-p", Integer.toString(Plan.IPERF_PORT),
                "-J", "--connect-timeout", "5000"));
        cmd.addAll(List.of(args));
        Shell.Result r = lab.exec(Node.CLIENT, timeoutSeconds, cmd);
        if (!r.ok() || r.out().contains("\"error\"")) {
            throw new LabException("iperf3 " + String.join(" ", args) + " failed (exit " + r.exit() + "): "
                    + errorOf(r.out()));
        }
        return parse(r.out());
    }

    static Result parse(String json) {
        Matcher e = Pattern.compile("\"end\"\\s*:\\s*\\{").matcher(json);
        int end = -1;
        while (e.find()) end = e.start();
        if (end < 0) throw new LabException("iperf3 printed no \"end\" section: " + json.strip());
        String tail = json.substring(end);
        int recv = tail.indexOf("\"sum_received\"");
        if (recv < 0) throw new LabException("iperf3 printed no end.sum_received: " + json.strip());
        String s = tail.substring(recv, tail.indexOf('}', recv));
        boolean udp = s.contains("\"packets\"");
        return new Result(num(s, "bytes").longValue(), num(s, "bits_per_second"),
                udp ? num(s, "packets").longValue() : 0, udp ? num(s, "lost_packets").longValue() : 0,
                num(s, "seconds"), json);
    }

    private static Double num(String s, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(s);
        if (!m.find()) throw new LabException("iperf3 output has no " + key);
        return Double.parseDouble(m.group(1));
    }

    private static String errorOf(String out) {
        Matcher m = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"").matcher(out);
        return m.find() ? m.group(1) : out.strip();
    }
}
