package dev.siitdc.it;

import dev.siitdc.lab.Lab;

/** For {@link LabLifecycleTest}: builds a lab (kept with "keep"), prints "lab PREFIX" and sleeps until killed. */
public final class LabChild {
    private LabChild() {}

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.create(Lab.Options.defaults());
        if (args.length > 0 && args[0].equals("keep")) lab.keep();
        System.out.println("lab " + lab.prefix());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
