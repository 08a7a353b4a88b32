/**
 * Which major function each IRP_MN_ name belongs to. Headers define minor codes in plain runs with no link to a
 * major (wdm.h groups them under comments), and the same small numbers mean different things under different
 * majors (0x00 is IRP_MN_START_DEVICE under IRP_MJ_PNP and IRP_MN_WAIT_WAKE under IRP_MJ_POWER), so this mapping
 * is kept as data. Facts: the minor-code groups of wdm.h / ntifs.h and the IRP reference pages on
 * learn.microsoft.com (windows-hardware/drivers/kernel/irp-mn-*, windows-hardware/drivers/ifs/irp-mj-*).
 * A name the generator finds but this table lacks is listed in docs/name-tables.md, never dropped silently.
 */
const IRP_MJ_READ = 0x03;
const IRP_MJ_WRITE = 0x04;
const IRP_MJ_FLUSH_BUFFERS = 0x09;
const IRP_MJ_DIRECTORY_CONTROL = 0x0c;
const IRP_MJ_FILE_SYSTEM_CONTROL = 0x0d;
const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
const IRP_MJ_LOCK_CONTROL = 0x11;
const IRP_MJ_POWER = 0x16;
const IRP_MJ_SYSTEM_CONTROL = 0x17;
const IRP_MJ_PNP = 0x1b;

const each = (majors: readonly number[], names: readonly string[]): Record<string, readonly number[]> =>
  Object.fromEntries(names.map((name) => [name, majors]));

export const MINOR_FUNCTION_MAJORS: Readonly<Record<string, readonly number[]>> = {
  ...each([IRP_MJ_PNP], [
    'IRP_MN_START_DEVICE', 'IRP_MN_QUERY_REMOVE_DEVICE', 'IRP_MN_REMOVE_DEVICE', 'IRP_MN_CANCEL_REMOVE_DEVICE',
    'IRP_MN_STOP_DEVICE', 'IRP_MN_QUERY_STOP_DEVICE', 'IRP_MN_CANCEL_STOP_DEVICE', 'IRP_MN_QUERY_DEVICE_RELATIONS',
    'IRP_MN_QUERY_INTERFACE', 'IRP_MN_QUERY_CAPABILITIES', 'IRP_MN_QUERY_RESOURCES', 'IRP_MN_QUERY_RESOURCE_REQUIREMENTS',
    'IRP_MN_QUERY_DEVICE_TEXT', 'IRP_MN_FILTER_RESOURCE_REQUIREMENTS', 'IRP_MN_READ_CONFIG', 'IRP_MN_WRITE_CONFIG',
    'IRP_MN_EJECT', 'IRP_MN_SET_LOCK', 'IRP_MN_QUERY_ID', 'IRP_MN_QUERY_PNP_DEVICE_STATE', 'IRP_MN_QUERY_BUS_INFORMATION',
    'IRP_MN_DEVICE_USAGE_NOTIFICATION', 'IRP_MN_SURPRISE_REMOVAL', 'IRP_MN_QUERY_LEGACY_BUS_INFORMATION',
    'IRP_MN_DEVICE_ENUMERATED',
  ]),
  ...each([IRP_MJ_POWER], ['IRP_MN_WAIT_WAKE', 'IRP_MN_POWER_SEQUENCE', 'IRP_MN_SET_POWER', 'IRP_MN_QUERY_POWER']),
  ...each([IRP_MJ_SYSTEM_CONTROL], [
    'IRP_MN_QUERY_ALL_DATA', 'IRP_MN_QUERY_SINGLE_INSTANCE', 'IRP_MN_CHANGE_SINGLE_INSTANCE', 'IRP_MN_CHANGE_SINGLE_ITEM',
    'IRP_MN_ENABLE_EVENTS', 'IRP_MN_DISABLE_EVENTS', 'IRP_MN_ENABLE_COLLECTION', 'IRP_MN_DISABLE_COLLECTION',
    'IRP_MN_REGINFO', 'IRP_MN_EXECUTE_METHOD', 'IRP_MN_REGINFO_EX',
  ]),
  ...each([IRP_MJ_DIRECTORY_CONTROL], ['IRP_MN_QUERY_DIRECTORY', 'IRP_MN_NOTIFY_CHANGE_DIRECTORY', 'IRP_MN_NOTIFY_CHANGE_DIRECTORY_EX']),
  ...each([IRP_MJ_FILE_SYSTEM_CONTROL], [
    'IRP_MN_USER_FS_REQUEST', 'IRP_MN_MOUNT_VOLUME', 'IRP_MN_VERIFY_VOLUME', 'IRP_MN_LOAD_FILE_SYSTEM', 'IRP_MN_TRACK_LINK',
    'IRP_MN_KERNEL_CALL',
  ]),
  ...each([IRP_MJ_LOCK_CONTROL], ['IRP_MN_LOCK', 'IRP_MN_UNLOCK_SINGLE', 'IRP_MN_UNLOCK_ALL', 'IRP_MN_UNLOCK_ALL_BY_KEY']),
  // Read and write minors are flags that say how the request is carried (DPC, MDL, completion, compression).
  ...each([IRP_MJ_READ, IRP_MJ_WRITE], [
    'IRP_MN_NORMAL', 'IRP_MN_DPC', 'IRP_MN_MDL', 'IRP_MN_COMPLETE', 'IRP_MN_COMPRESSED', 'IRP_MN_MDL_DPC',
    'IRP_MN_COMPLETE_MDL', 'IRP_MN_COMPLETE_MDL_DPC',
  ]),
  ...each([IRP_MJ_FLUSH_BUFFERS], ['IRP_MN_FLUSH_AND_PURGE', 'IRP_MN_FLUSH_DATA_ONLY', 'IRP_MN_FLUSH_NO_SYNC', 'IRP_MN_FLUSH_DATA_SYNC_ONLY']),
  ...each([IRP_MJ_INTERNAL_DEVICE_CONTROL], ['IRP_MN_SCSI_CLASS']),
};
