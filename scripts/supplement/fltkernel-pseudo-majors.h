/*
 * irpscope supplement. None of the three header sets the tables are generated from (Windows SDK user-mode and
 * shared headers, mingw-w64, Wine) carries the file-system filter pseudo major function codes, which live in the
 * Windows Driver Kit's fltKernel.h. The values below are those of fltKernel.h as published with the WDK; the
 * codes are documented per operation on learn.microsoft.com (windows-hardware/drivers/ifs/flt-parameters-for-irp-mj-*).
 * Written for irpscope; only the names and numbers are facts taken from the WDK.
 */
#define IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION  ((UCHAR)-1)
#define IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION  ((UCHAR)-2)
#define IRP_MJ_ACQUIRE_FOR_MOD_WRITE                ((UCHAR)-3)
#define IRP_MJ_RELEASE_FOR_MOD_WRITE                ((UCHAR)-4)
#define IRP_MJ_ACQUIRE_FOR_CC_FLUSH                 ((UCHAR)-5)
#define IRP_MJ_RELEASE_FOR_CC_FLUSH                 ((UCHAR)-6)
#define IRP_MJ_QUERY_OPEN                           ((UCHAR)-7)
#define IRP_MJ_FAST_IO_CHECK_IF_POSSIBLE            ((UCHAR)-13)
#define IRP_MJ_NETWORK_QUERY_OPEN                   ((UCHAR)-14)
#define IRP_MJ_MDL_READ                             ((UCHAR)-15)
#define IRP_MJ_MDL_READ_COMPLETE                    ((UCHAR)-16)
#define IRP_MJ_PREPARE_MDL_WRITE                    ((UCHAR)-17)
#define IRP_MJ_MDL_WRITE_COMPLETE                   ((UCHAR)-18)
#define IRP_MJ_VOLUME_MOUNT                         ((UCHAR)-19)
#define IRP_MJ_VOLUME_DISMOUNT                      ((UCHAR)-20)
/* Flush minors of IRP_MJ_FLUSH_BUFFERS (ntifs.h) that the three header sets may lack. */
#define IRP_MN_FLUSH_AND_PURGE                      0x01
#define IRP_MN_FLUSH_DATA_ONLY                      0x02
#define IRP_MN_FLUSH_NO_SYNC                        0x03
#define IRP_MN_FLUSH_DATA_SYNC_ONLY                 0x04
#define IRP_MN_NOTIFY_CHANGE_DIRECTORY_EX           0x03
