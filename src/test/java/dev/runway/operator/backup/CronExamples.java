package dev.runway.operator.backup;

import java.util.List;

/**
 * Schedules shared by the cron unit test and the BackupPolicy admission test, so that the CRD's
 * grammar and the operator's parser are held to the same examples.
 */
public final class CronExamples {
    /** Accepted at admission and usable by the operator. */
    public static final List<String> VALID = List.of(
            "0 2 * * *", "*/15 * * * *", "0 4 * * 0", "0 2 * * MON,WED,fri", "0 0 1 jan-mar ?", "0 2 ? * *",
            "@daily", "@hourly", "@weekly", "@monthly", "@yearly", "@annually", "@midnight",
            " 5 4 * * sun ", "0 0 * * 1-5", "30 1 1,15 * *", "0 */6 * * *", "0 0-23/2 * * *", "15 14 1 * *",
            "0 9-17 * * MON-FRI", "00 02 * * *", "0 0 * * MON-FRI/2", "1/5 * * * *", "59 23 31 12 6", "0 0 29 2 *",
            "0\t3 * * *", "0 2 1-7 * 1", "0 0,12 1 */2 *");

    /** Rejected at admission (the operator's parser rejects them too). */
    public static final List<String> REJECTED = List.of(
            "every day", "@every 1h", "@reboot", "0 2 * *", "0 2 * * * *", "60 2 * * *", "0 24 * * *",
            "0 2 32 * *", "0 2 0 * *", "0 2 * 13 *", "0 2 * 0 *", "0 2 * * 7", "*/0 * * * *", "0 2 * * funday",
            "0 2 * * mon,", "a b c d e", "0 2 * * 1--5", "CRON_TZ=UTC 0 2 * * *", "0 2 * * * ; rm -rf /", "? * * * *",
            "0 2 * * -1", "0 2 * * 1/", "0 2 ** * *", "@DAILY");

    /** Accepted at admission but unusable: a range that runs backwards, or a day that never comes. */
    public static final List<String> UNUSABLE = List.of("30-10 * * * *", "0 5-1 * * *", "0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *");

    private CronExamples() {
    }
}
