/**
 * Hand-authored reference of what the four parameters (Arg1..Arg4) of common
 * Windows bug checks mean, per code and per sub-code.
 *
 * Source of the FACTS (which argument holds what, which sub-code values exist):
 * Microsoft's "Bug check code reference" pages in the windows-driver-docs
 * repository (github.com/MicrosoftDocs/windows-driver-docs), snapshot at commit
 * 825aa15f476fc33a3e80abd3db387b025771f6f8, folder windows-driver-docs-pr/debugger/.
 * Each entry keeps the public URL of its page.
 *
 * Every title, summary and meaning sentence in this file was written for irpscope
 * in its own words; none is copied from the documentation.
 */

/** What kind of value a bugcheck parameter holds, so the decoder can decode it further. */
export type ParameterKind =
  | 'ioctl'        // a control code: decoded as an IOCTL
  | 'ntstatus'     // an NTSTATUS / exception code
  | 'irp-major'    // an IRP_MJ_* major function number
  | 'irp'          // address of an IRP (!irp)
  | 'device-object' | 'driver-object' | 'file-object' | 'thread' | 'process' | 'pool-address'
  | 'address'      // some other memory address (code or data)
  | 'irql'         // an IRQL number
  | 'count' | 'size' | 'time'
  | 'flags' | 'bugcheck-subcode' // the value that selects the case
  | 'handle' | 'string-address' | 'wdf-handle'
  | 'reserved'     // documented as reserved / zero
  | 'value';       // anything else

export interface ParameterMeaning {
  readonly kind: ParameterKind;
  /** One plain sentence, written for this project. */
  readonly meaning: string;
}

export type FourParameters = readonly [ParameterMeaning | null, ParameterMeaning | null, ParameterMeaning | null, ParameterMeaning | null];

export interface BugcheckCase {
  /** Value of the selecting argument (as a number; these are all < 2^32). */
  readonly value: number;
  /** Short title of the case, your words, e.g. "Cancel routine still set when the IRP was completed". */
  readonly title: string;
  /** Meanings of Arg1..Arg4 in this case (Arg that is the selector gets kind 'bugcheck-subcode'). null = not documented. */
  readonly parameters: FourParameters;
  /** Further cases selected by another argument (0-based index), e.g. 0x10D/6 keyed on Arg2 (index 1). */
  readonly selector?: number;
  readonly cases?: readonly BugcheckCase[];
}

export interface BugcheckReference {
  readonly code: number;          // e.g. 0xC4
  readonly name: string;          // e.g. 'DRIVER_VERIFIER_DETECTED_VIOLATION'
  readonly url: string;           // learn.microsoft.com page
  readonly summary: string;       // one sentence, your words
  /** Default meanings when no case matches or the code has no cases. */
  readonly parameters: FourParameters;
  /** 0-based index of the argument whose value selects a case (usually 0 = Arg1). */
  readonly selector?: number;
  readonly cases?: readonly BugcheckCase[];
  /** For ranges of sub-codes documented as a family (e.g. 0xC4 DDI rule violations 0x00020000-0x00020FFF), optional. */
  readonly ranges?: readonly { readonly from: number; readonly to: number; readonly title: string; readonly parameters: FourParameters }[];
}

// ---------------------------------------------------------------------------
// Small builders (plain functions returning frozen-shape data; no classes).
// ---------------------------------------------------------------------------

type Arg = ParameterMeaning | null;
interface Nested { readonly selector: number; readonly cases: readonly BugcheckCase[] }

const DOCS = 'https://learn.microsoft.com/windows-hardware/drivers/debugger/';
const page = (name: string): string => DOCS + name;

function p(kind: ParameterKind, meaning: string): ParameterMeaning {
  return { kind, meaning };
}

/** The argument that selects the case. */
function sel(meaning = 'Sub-code that picks which case applies; see the case list.'): ParameterMeaning {
  return p('bugcheck-subcode', meaning);
}

function kase(value: number, title: string, parameters: FourParameters, nested?: Nested): BugcheckCase {
  return nested ? { value, title, parameters, selector: nested.selector, cases: nested.cases } : { value, title, parameters };
}

/** Case keyed on Arg1 (index 0). */
function on1(value: number, title: string, a2: Arg, a3: Arg, a4: Arg, nested?: Nested): BugcheckCase {
  return kase(value, title, [SEL, a2, a3, a4], nested);
}

/** Case nested under an Arg1 case and keyed on Arg2 (index 1). */
function on2(value: number, title: string, a3: Arg, a4: Arg, nested?: Nested): BugcheckCase {
  return kase(value, title, [SEL, SEL, a3, a4], nested);
}

/** Case keyed on Arg4 (index 3). */
function on4(value: number, title: string, a1: Arg, a2: Arg, a3: Arg): BugcheckCase {
  return kase(value, title, [a1, a2, a3, SEL]);
}

/** Several sub-code values documented together with the same meaning. */
function many(values: readonly number[], make: (v: number) => BugcheckCase): BugcheckCase[] {
  return values.map(make);
}

// Frequently used parameter meanings.
const SEL = sel();
const R = p('reserved', 'Reserved; carries nothing useful.');
const Z = p('reserved', 'Zero in this case.');
const IRQL_NOW = p('irql', 'IRQL the processor was at when the check fired.');
const IRQL_BEFORE = p('irql', 'IRQL before the driver routine ran.');
const IRQL_AFTER = p('irql', 'IRQL after the driver routine returned; it should equal the one before.');
const POOL_TYPE = p('value', 'POOL_TYPE the driver passed (0 = nonpaged, 1 = paged; see ntddk.h).');
const POOL_TAG = p('value', 'Pool tag (four characters, little-endian).');
const ALLOC_SIZE = p('size', 'Requested allocation size in bytes.');
const POOL_BLOCK = p('pool-address', 'Pool block being freed; run !pool on it.');
const SPINLOCK = p('address', 'Address of the spin lock involved.');
const APC_COUNT = p('count', 'Current thread APC disable count.');
const MDL = p('address', 'Address of the MDL; inspect it with dt nt!_MDL.');
const MDL_FLAGS = p('flags', 'MdlFlags of that MDL.');
const ACCESS_MODE = p('value', 'Access mode passed (0 = KernelMode, 1 = UserMode).');
const IRP = p('irp', 'Address of the IRP; run !irp on it.');
const DEVOBJ = p('device-object', 'Address of the device object; run !devobj on it.');
const DRV_CODE = p('address', 'Spot in the driver code where Verifier caught it; run ln on it.');
const CALLER = p('address', 'Address of the caller; run ln on it to find the function.');
const EXC_CODE = p('ntstatus', 'Exception code that was raised (an NTSTATUS such as 0xC0000005).');
const FAULT_ADDR = p('address', 'Memory address that was touched; check it with !pte and !pool.');
const FAULT_RW = p('flags', 'Kind of access: 0 = read, 1 = write.');
const FAULT_IP = p('address', 'Code address that made the access, if known; run ln on it.');

// ---------------------------------------------------------------------------
// DDI compliance rules (shared shape for 0xC4 and 0x1C4).
// ---------------------------------------------------------------------------

/** How a rule case fills Arg3/Arg4: rule state for !ruleinfo, optional state pointer, or nothing. */
type RuleArgs = 'ruleinfo' | 'optional' | 'none';
type RuleRow = readonly [value: number, rule: string, args: RuleArgs];

const RULE_TEXT = p('string-address', 'Address of text naming the broken rule condition; dump it with da.');
const RULE_STATE = p('address', 'Internal rule state; pass it as the second argument of !ruleinfo.');
const RULE_SUPP = p('address', 'Supplemental rule state; pass it as the third argument of !ruleinfo.');
const RULE_OPT = p('address', 'Optional pointer to the rule state variables, may be zero.');

function ruleCases(rows: readonly RuleRow[]): BugcheckCase[] {
  return rows.map(([value, rule, args]) =>
    on1(
      value,
      `Broke DDI compliance rule ${rule}`,
      RULE_TEXT,
      args === 'ruleinfo' ? RULE_STATE : args === 'optional' ? RULE_OPT : R,
      args === 'ruleinfo' ? RULE_SUPP : R,
    ),
  );
}

function ruleRange(from: number, to: number, family: string) {
  return {
    from,
    to,
    title: `Broke a ${family} compliance rule not listed here (run !ruleinfo with Arg1)`,
    parameters: [sel('Identifier of the broken rule; pass it as the first argument of !ruleinfo.'), RULE_TEXT, p('address', 'Rule state if the rule keeps one, otherwise reserved.'), p('address', 'Supplemental rule state if any, otherwise reserved.')] as FourParameters,
  };
}

const AVSTREAM_RULES: readonly RuleRow[] = [
  [0x00081001, 'KsDeviceMutex', 'ruleinfo'],
  [0x00081002, 'KsStreamPointerClone', 'ruleinfo'],
  [0x00081003, 'KsStreamPointerLock', 'none'],
  [0x00081004, 'KsStreamPointerUnlock', 'ruleinfo'],
  [0x00081005, 'KsCallbackReturn', 'none'],
  [0x00081006, 'KsIrqlDeviceCallbacks', 'ruleinfo'],
  [0x00081007, 'KsIrqlFilterCallbacks', 'ruleinfo'],
  [0x00081008, 'KsIrqlPinCallbacks', 'ruleinfo'],
  [0x00081009, 'KsIrqlDDIs', 'none'],
  [0x0008100A, 'KsFilterMutex', 'ruleinfo'],
  [0x0008100B, 'KsProcessingMutex', 'ruleinfo'],
  [0x00082001, 'KsTimedPinSetDeviceState', 'ruleinfo'],
  [0x00082002, 'KsTimedDeviceCallbacks', 'ruleinfo'],
  [0x00082003, 'KsTimedFilterCallbacks', 'ruleinfo'],
  [0x00082004, 'KsTimedPinCallbacks', 'ruleinfo'],
  [0x00082005, 'KsTimedProcessingMutex', 'ruleinfo'],
];

const WDM_LOCK_RULES: readonly RuleRow[] = [
  [0x00040003, 'CriticalRegions', 'ruleinfo'],
  [0x00040006, 'QueuedSpinLock', 'ruleinfo'],
  [0x00040007, 'QueuedSpinLockRelease', 'ruleinfo'],
  [0x00040009, 'SpinLock', 'ruleinfo'],
  [0x0004000A, 'SpinlockRelease', 'ruleinfo'],
  [0x0004000E, 'GuardedRegions', 'ruleinfo'],
  [0x0004100B, 'RequestedPowerIrp', 'none'],
  [0x0004100F, 'IoSetCompletionExCompleteIrp', 'ruleinfo'],
  [0x00043006, 'PnpRemove', 'none'],
];

const NDIS_RULES: readonly RuleRow[] = [
  [0x00091001, 'NdisOidComplete', 'ruleinfo'],
  [0x00091002, 'NdisOidDoubleComplete', 'ruleinfo'],
  [0x0009100E, 'NdisOidDoubleRequest', 'ruleinfo'],
  [0x00092003, 'NdisTimedOidComplete', 'ruleinfo'],
  [0x0009200D, 'NdisTimedDataSend', 'ruleinfo'],
  [0x0009200F, 'NdisTimedDataHang', 'ruleinfo'],
  [0x00092010, 'NdisFilterTimedPauseComplete', 'ruleinfo'],
  [0x00092011, 'NdisFilterTimedDataSend', 'ruleinfo'],
  [0x00092012, 'NdisFilterTimedDataReceive', 'ruleinfo'],
  [0x00093004, 'WlanAssociation', 'ruleinfo'],
  [0x00093005, 'WlanConnectionRoaming', 'ruleinfo'],
  [0x00093006, 'WlanDisassociation', 'ruleinfo'],
  [0x00093101, 'WlanAssert', 'none'],
  [0x00094007, 'WlanTimedAssociation', 'ruleinfo'],
  [0x00094008, 'WlanTimedConnectionRoaming', 'ruleinfo'],
  [0x00094009, 'WlanTimedConnectRequest', 'ruleinfo'],
  [0x0009400B, 'WlanTimedLinkQuality', 'ruleinfo'],
  [0x0009400C, 'WlanTimedScan', 'ruleinfo'],
];

/** IRQL rules 0x0002xxxx; `a` is how the 0xC4 page fills Arg3/Arg4, `b` is how the 0x1C4 page does. */
const IRQL_RULES: readonly (readonly [number, string, RuleArgs, RuleArgs])[] = [
  [0x00020002, 'IrqlApcLte', 'optional', 'none'],
  [0x00020003, 'IrqlDispatch', 'optional', 'none'],
  [0x00020004, 'IrqlExAllocatePool', 'optional', 'none'],
  [0x00020005, 'IrqlExApcLte1', 'optional', 'none'],
  [0x00020006, 'IrqlExApcLte2', 'optional', 'none'],
  [0x00020007, 'IrqlExApcLte3', 'optional', 'none'],
  [0x00020008, 'IrqlExPassive', 'optional', 'none'],
  [0x00020009, 'IrqlIoApcLte', 'optional', 'none'],
  [0x0002000A, 'IrqlIoPassive1', 'optional', 'none'],
  [0x0002000B, 'IrqlIoPassive2', 'optional', 'none'],
  [0x0002000C, 'IrqlIoPassive3', 'optional', 'none'],
  [0x0002000D, 'IrqlIoPassive4', 'optional', 'none'],
  [0x0002000E, 'IrqlIoPassive5', 'optional', 'none'],
  [0x0002000F, 'IrqlKeApcLte1', 'optional', 'none'],
  [0x00020010, 'IrqlKeApcLte2', 'optional', 'none'],
  [0x00020011, 'IrqlKeDispatchLte', 'optional', 'none'],
  [0x00020015, 'IrqlKeReleaseSpinLock', 'optional', 'none'],
  [0x00020016, 'IrqlKeSetEvent', 'optional', 'none'],
  [0x00020019, 'IrqlMmApcLte', 'optional', 'none'],
  [0x0002001A, 'IrqlMmDispatch', 'optional', 'none'],
  [0x0002001B, 'IrqlObPassive', 'optional', 'none'],
  [0x0002001C, 'IrqlPsPassive', 'optional', 'none'],
  [0x0002001D, 'IrqlReturn', 'ruleinfo', 'ruleinfo'],
  [0x0002001E, 'IrqlRtlPassive', 'optional', 'none'],
  [0x0002001F, 'IrqlZwPassive', 'optional', 'none'],
  [0x00020022, 'IrqlIoDispatch', 'none', 'none'],
];

/** AVStream rule that only the 0xC4 page lists. */
const AVSTREAM_RULES_C4_ONLY: readonly RuleRow[] = [[0x0008100C, 'KsInvalidStreamPointer', 'ruleinfo']];

/** IRQL rules that only the 0xC4 page lists. */
const IRQL_RULES_C4_ONLY: readonly RuleRow[] = [
  [0x00020023, 'IrqlIoRtlZwPassive', 'none'],
  [0x00020024, 'IrqlNtifsApcPassive', 'none'],
  [0x00020025, 'IrqlKeMore', 'none'],
];

/** PortCls audio rules that only the 0x1C4 page lists. */
const PORTCLS_RULES: readonly RuleRow[] = [
  [0x00071001, 'PcIrqlDDIs', 'none'],
  [0x00071003, 'PcIrqlIport', 'none'],
  [0x00071004, 'PcUnmapAllocatedPages', 'ruleinfo'],
  [0x00071005, 'PcAllocatedPages', 'ruleinfo'],
  [0x00071006, 'PcRegisterAdapterPower', 'ruleinfo'],
  [0x00071007, 'PcAddAdapterDevice', 'none'],
  [0x00071008, 'PcPropertyRequest', 'none'],
  [0x00071009, 'PcAllocateAndMapPages', 'none'],
  [0x0007100A, 'PcPoRequestPowerIrp', 'none'],
  [0x00072001, 'PcTimedWaveRtStreamSetState', 'ruleinfo'],
];

// ---------------------------------------------------------------------------
// 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION
// ---------------------------------------------------------------------------

const FAST_MUTEX = p('address', 'Address of the FAST_MUTEX.');
const ERESOURCE = p('address', 'Address of the ERESOURCE; run !locks on it.');
const MUTEX = p('address', 'Address of the mutex.');
const ALLOC_BASE = p('pool-address', 'Start of the allocation that was overrun.');
const CHARGED = p('size', 'Bytes charged for the allocation.');
const PAGED_BYTES = p('size', 'Bytes still allocated from paged pool.');
const NONPAGED_BYTES = p('size', 'Bytes still allocated from nonpaged pool.');
const LEAK_COUNT = p('count', 'Number of allocations that were never freed.');
const UNMAP_VA = p('address', 'Virtual address being unmapped.');
const BAD_MDL_FLAGS = p('flags', 'The MDL flags that should not have been set.');
const LOWER_DEVOBJ = p('device-object', 'Lower device object the request was sent to.');
const SECTOR = p('value', 'Number of the disk sector where the mismatch was found.');
const DISPATCH_ROUTINE = p('address', 'Dispatch routine of the driver; run ln on it.');
const FASTIO_ROUTINE = p('address', 'Fast I/O routine of the driver; run ln on it.');
const APC_BEFORE = p('count', 'APC disable count before the routine ran; the difference shows unbalanced enter/leave calls.');
const LOOKASIDE = p('address', 'Address of the lookaside list.');
const POOL_START = p('pool-address', 'Start of the pool block being freed.');
const POOL_SIZE = p('size', 'Size of that pool block.');
const REMOVE_LOCK = p('address', 'Remove lock in use (Verifier shadow copy when the driver is not a checked build).');
const ZW_CALL = p('address', 'Spot in the driver that made the Zw call; run ln on it.');
const PUSHLOCK = p('address', 'Address of the pushlock.');
const COMPLETION_ROUTINE = p('address', 'IRP completion routine; run ln on it.');
const ISR = p('address', 'Interrupt service routine; run ln on it.');
const WAIT_IRQL_PTR = p('address', 'Address holding the IRQL value.');
const WAIT_OBJECT = p('address', 'Object being waited on.');
const WAIT_TIMEOUT = p('address', 'Address of the timeout value passed to the wait.');
const WORK_ITEM = p('address', 'Address of the work item.');
const TRACKED_VALUE_ADDR = p('address', 'Where the wrong tracking value is stored.');
const DL_RESOURCE = p('address', 'Address of the lock or resource; !deadlock gives more detail.');
const LOCK_ADDR = p('address', 'Address of the lock.');
const IMAGE_NAME = p('string-address', 'Image file name (Unicode string).');
const SECTION_NAME = p('string-address', 'Section name (UTF-8 string).');
const NBL = p('address', 'NET_BUFFER_LIST involved; inspect it with !ndiskd.nbl.');
const VSWITCH = p('address', 'Virtual switch object, when not NULL.');
const VSWITCH_CTX = p('address', 'Virtual switch context.');

const C4_CASES: readonly BugcheckCase[] = [
  // 0x00 - 0x6F: pool, IRQL and synchronization misuse
  on1(0x00, 'Zero-byte pool allocation requested', IRQL_NOW, POOL_TYPE, p('size', 'Requested size in bytes (zero).')),
  on1(0x01, 'Paged pool allocated above APC_LEVEL', IRQL_NOW, POOL_TYPE, ALLOC_SIZE),
  on1(0x02, 'Nonpaged pool allocated above DISPATCH_LEVEL', IRQL_NOW, POOL_TYPE, ALLOC_SIZE),
  on1(0x03, 'Must-succeed pool request larger than one page', null, null, null),
  on1(0x10, 'Freed an address that no allocation returned', p('pool-address', 'The address the driver tried to free.'), Z, Z),
  on1(0x11, 'Paged pool freed above APC_LEVEL', IRQL_NOW, POOL_TYPE, POOL_BLOCK),
  on1(0x12, 'Nonpaged pool freed above DISPATCH_LEVEL', IRQL_NOW, POOL_TYPE, POOL_BLOCK),
  ...many([0x13, 0x14], (v) => on1(v, 'Pool block freed twice', R, p('address', 'Address of the pool header.'), p('value', 'Contents of the pool header.'))),
  on1(0x15, 'Freed pool still contains an active timer', p('address', 'Timer that is still queued; cancel it before freeing (dt nt!_KTIMER).'), POOL_TYPE, POOL_BLOCK),
  on1(0x16, 'Bad address or bad arguments given to a pool routine', R, p('pool-address', 'Pool address involved.'), Z),
  on1(0x17, 'Freed pool still contains an active ERESOURCE', p('address', 'ERESOURCE still live in the block; call ExDeleteResourceLite first.'), POOL_TYPE, POOL_BLOCK),
  on1(0x30, 'KeRaiseIrql asked for an invalid IRQL', IRQL_NOW, p('irql', 'IRQL requested: below the current one or above HIGH_LEVEL (maybe uninitialized).'), Z),
  on1(0x31, 'KeLowerIrql asked for an invalid IRQL', IRQL_NOW, p('irql', 'IRQL requested: above the current one or above HIGH_LEVEL (maybe uninitialized).'), p('value', '0 = the new IRQL is bad; 1 = the new IRQL is not allowed inside a DPC routine.')),
  on1(0x32, 'KeReleaseSpinLock called at an IRQL other than DISPATCH_LEVEL', IRQL_NOW, p('address', 'Spin lock being released; a double release is a likely cause.'), Z),
  on1(0x33, 'Fast mutex acquired above APC_LEVEL', IRQL_NOW, FAST_MUTEX, Z),
  on1(0x34, 'Fast mutex released at an IRQL other than APC_LEVEL', IRQL_NOW, APC_COUNT, FAST_MUTEX),
  on1(0x35, 'Spin lock released at an IRQL other than DISPATCH_LEVEL', IRQL_NOW, SPINLOCK, p('irql', 'IRQL saved when the lock was acquired.')),
  on1(0x36, 'Queued spin lock released at an IRQL other than DISPATCH_LEVEL', IRQL_NOW, p('value', 'Number of the queued spin lock.'), p('irql', 'IRQL saved when the lock was acquired.')),
  on1(0x37, 'Resource acquired while APCs were enabled', IRQL_NOW, APC_COUNT, p('address', 'ERESOURCE being acquired; wrap the call in KeEnterCriticalRegion.')),
  on1(0x38, 'Resource released while APCs were enabled', IRQL_NOW, APC_COUNT, ERESOURCE),
  on1(0x39, 'Unsafe mutex acquire not at APC_LEVEL', IRQL_NOW, APC_COUNT, MUTEX),
  on1(0x3A, 'Unsafe mutex release not at APC_LEVEL', IRQL_NOW, APC_COUNT, MUTEX),
  on1(0x3B, 'KeWaitXxx called at DISPATCH_LEVEL or above', IRQL_NOW, WAIT_OBJECT, p('time', 'Timeout argument given to the wait.')),
  on1(0x3C, 'ObReferenceObjectByHandle given a bad handle', p('handle', 'The handle that was passed.'), p('value', 'Object type that was requested.'), Z),
  on1(0x3D, 'Misaligned resource passed to ExAcquireResourceExclusive', Z, Z, p('address', 'The misaligned ERESOURCE.')),
  on1(0x3E, 'KeLeaveCriticalRegion without being in a critical region', Z, Z, Z),
  on1(0x3F, 'Object referenced or dereferenced with a zero reference count', p('address', 'The object; !object shows its type.'), p('count', 'New reference count: -1 for a dereference, 1 for a reference.'), Z),
  on1(0x40, 'KeAcquireSpinLockAtDpcLevel called below DISPATCH_LEVEL', IRQL_NOW, SPINLOCK, Z),
  on1(0x41, 'KeReleaseSpinLockFromDpcLevel called below DISPATCH_LEVEL', IRQL_NOW, SPINLOCK, Z),
  on1(0x42, 'KeAcquireSpinLock called above DISPATCH_LEVEL', IRQL_NOW, SPINLOCK, Z),
  on1(0x51, 'Freed pool after writing past its end (pool tracking)', ALLOC_BASE, p('address', 'Address of the write beyond the block.'), CHARGED),
  on1(0x52, 'Freed pool after writing past its end (pool tracking)', ALLOC_BASE, p('address', 'Hash entry of the allocation.'), CHARGED),
  on1(0x53, 'Freed pool after writing past its end (pool tracking)', ALLOC_BASE, p('address', 'Pool header of the allocation.'), R),
  on1(0x54, 'Freed pool after writing past its end (pool tracking)', ALLOC_BASE, R, p('size', 'Size of the pool hash table.')),
  on1(0x59, 'Freed pool after writing past its end (pool tracking)', ALLOC_BASE, p('value', 'List index.'), R),
  on1(0x60, 'Driver unloading with pool allocations still outstanding', PAGED_BYTES, NONPAGED_BYTES, LEAK_COUNT),
  on1(0x61, 'Pool allocated by a driver thread while the driver unloads', PAGED_BYTES, NONPAGED_BYTES, LEAK_COUNT),
  on1(0x62, 'Driver unloaded without freeing its pool', p('string-address', 'Name of the driver; !verifier 3 <name> lists the leaked blocks.'), R, p('count', 'Number of leaked allocations, paged plus nonpaged.')),
  on1(0x6F, 'MmProbeAndLockPages on pages outside the PFN database', MDL, p('value', 'Physical page that was being locked.'), p('value', 'Highest physical page in the system.')),
  // 0x70 - 0x91: MDL and mapping misuse
  on1(0x70, 'MmProbeAndLockPages called above DISPATCH_LEVEL', IRQL_NOW, MDL, ACCESS_MODE),
  on1(0x71, 'MmProbeAndLockProcessPages called above DISPATCH_LEVEL', IRQL_NOW, MDL, p('process', 'Process whose pages were being locked; run !process on it.')),
  on1(0x72, 'MmProbeAndLockSelectedPages called above DISPATCH_LEVEL', IRQL_NOW, MDL, p('process', 'Process whose pages were being locked; run !process on it.')),
  on1(0x73, 'MmMapIoSpace called above DISPATCH_LEVEL', IRQL_NOW, p('address', 'Physical address to map (only the low 32 bits on 32-bit Windows).'), p('size', 'Number of bytes to map.')),
  on1(0x74, 'MmMapLockedPages to kernel space above DISPATCH_LEVEL', IRQL_NOW, MDL, ACCESS_MODE),
  on1(0x75, 'MmMapLockedPages to user space above APC_LEVEL', IRQL_NOW, MDL, ACCESS_MODE),
  on1(0x76, 'MmMapLockedPagesSpecifyCache to kernel space above DISPATCH_LEVEL', IRQL_NOW, MDL, ACCESS_MODE),
  on1(0x77, 'MmMapLockedPagesSpecifyCache to user space above APC_LEVEL', IRQL_NOW, MDL, ACCESS_MODE),
  on1(0x78, 'MmUnlockPages called above DISPATCH_LEVEL', IRQL_NOW, MDL, Z),
  on1(0x79, 'MmUnmapLockedPages from kernel space above DISPATCH_LEVEL', IRQL_NOW, UNMAP_VA, MDL),
  on1(0x7A, 'MmUnmapLockedPages from user space above APC_LEVEL', IRQL_NOW, UNMAP_VA, MDL),
  on1(0x7B, 'MmUnmapIoSpace called above APC_LEVEL', IRQL_NOW, UNMAP_VA, p('size', 'Number of bytes to unmap.')),
  on1(0x7C, 'MmUnlockPages on an MDL that was never locked', MDL, MDL_FLAGS, Z),
  on1(0x7D, 'MmUnlockPages on an MDL built over nonpaged pool', MDL, MDL_FLAGS, Z),
  on1(0x7E, 'MDL page allocation or free above DISPATCH_LEVEL', IRQL_NOW, p('irql', 'DISPATCH_LEVEL, the highest IRQL allowed for the call.'), Z),
  on1(0x7F, 'MmBuildMdlForNonPagedPool used on paged pool', IRQL_NOW, MDL, MDL_FLAGS),
  on1(0x80, 'KeSetEvent called above DISPATCH_LEVEL', IRQL_NOW, p('address', 'Address of the KEVENT.'), Z),
  on1(0x81, 'MmMapLockedPages used; switch to MmMapLockedPagesSpecifyCache', MDL, MDL_FLAGS, Z),
  on1(0x82, 'MmMapLockedPagesSpecifyCache called with BugCheckOnFailure TRUE', MDL, MDL_FLAGS, Z),
  on1(0x83, 'MmMapIoSpace on physical pages that were not locked', p('address', 'Start of the physical range to map.'), p('size', 'Number of bytes to map.'), p('value', 'First page frame number in the range that is not locked.')),
  on1(0x85, 'MmMapLockedPages on an MDL whose pages are not locked', MDL, p('count', 'Number of pages to map.'), p('value', 'First page frame number that is not locked.')),
  on1(0x89, 'MDL contains non-memory pages but is not marked as I/O', MDL, p('address', 'Pointer to the non-memory page entry inside the MDL.'), p('value', 'The non-memory page number.')),
  on1(0x91, 'Kernel stack switched in an unsupported way (use KeExpandKernelStackAndCallout)', R, R, R),
  // 0xA0 - 0xFC
  on1(0xA0, 'Disk sector CRC mismatch (Disk Integrity Checking)', p('irp', 'Read or write IRP; run !irp on it.'), LOWER_DEVOBJ, SECTOR),
  on1(0xA1, 'Disk sector CRC mismatch found asynchronously', p('irp', 'Copy of the read or write IRP; the real one is already completed.'), LOWER_DEVOBJ, SECTOR),
  on1(0xA2, 'CRCDISK checksum copies disagree (maybe a paging error)', p('irp', 'Read or write IRP, or a copy of it.'), LOWER_DEVOBJ, SECTOR),
  on1(0xB0, 'MmProbeAndLockPages given an MDL with wrong flags', MDL, MDL_FLAGS, BAD_MDL_FLAGS),
  on1(0xB1, 'MmProbeAndLockProcessPages given an MDL with wrong flags', MDL, MDL_FLAGS, BAD_MDL_FLAGS),
  on1(0xB2, 'MmMapLockedPages given an MDL with wrong flags', MDL, MDL_FLAGS, BAD_MDL_FLAGS),
  on1(0xB3, 'MmMapLockedPages given an MDL missing a required flag', MDL, MDL_FLAGS, p('flags', 'Flags that were expected; at least one was needed.')),
  on1(0xB4, 'MmUnlockPages called on a partial MDL', MDL, MDL_FLAGS, p('flags', 'The partial-MDL flag that should not be there.')),
  on1(0xB5, 'MmUnmapLockedPages called on a partial MDL', MDL, MDL_FLAGS, p('flags', 'The partial-MDL flag that should not be there.')),
  on1(0xB6, 'MmUnmapLockedPages on an MDL not mapped to system space', MDL, MDL_FLAGS, p('flags', 'The flag that was expected but missing.')),
  on1(0xB7, 'BIOS corrupted low physical memory during sleep', p('count', 'Number of corrupted physical pages.'), p('value', 'First corrupted physical page.'), p('value', 'Last corrupted physical page.')),
  on1(0xB8, 'IoFreeMdl called while the MDL pages are still mapped', MDL, MDL_FLAGS, R),
  on1(0xB9, 'MmUnmapLockedPages given a bad user-space address', UNMAP_VA, MDL, R),
  on1(0xC0, 'IoCallDriver called with interrupts disabled', IRP, Z, R),
  on1(0xC1, 'Dispatch routine returned with interrupts disabled', DISPATCH_ROUTINE, R, R),
  on1(0xC2, 'Fast I/O routine called with interrupts disabled', Z, Z, Z),
  on1(0xC3, 'Fast I/O routine returned with interrupts disabled', FASTIO_ROUTINE, R, R),
  on1(0xC5, 'Dispatch routine changed the thread APC disable count', DISPATCH_ROUTINE, APC_COUNT, APC_BEFORE),
  on1(0xC6, 'Fast I/O routine changed the thread APC disable count', FASTIO_ROUTINE, APC_COUNT, APC_BEFORE),
  on1(0xCA, 'Lookaside list initialized a second time', LOOKASIDE, R, R),
  on1(0xCB, 'Uninitialized lookaside list deleted', LOOKASIDE, R, R),
  on1(0xCC, 'Freed pool contains an active lookaside list', LOOKASIDE, POOL_START, POOL_SIZE),
  on1(0xCD, 'Lookaside list created with a block size that is too small', LOOKASIDE, p('size', 'Block size the driver asked for.'), p('size', 'Smallest block size allowed.')),
  on1(0xD0, 'ERESOURCE initialized a second time', ERESOURCE, R, R),
  on1(0xD1, 'Uninitialized ERESOURCE deleted', ERESOURCE, R, R),
  on1(0xD2, 'Freed pool contains an active ERESOURCE', ERESOURCE, POOL_START, POOL_SIZE),
  on1(0xD5, 'IoReleaseRemoveLock tag differs from the IoAcquireRemoveLock tag', REMOVE_LOCK, p('value', 'Tag passed to IoReleaseRemoveLock.'), R),
  on1(0xD6, 'IoReleaseRemoveLockAndWait tag differs from the IoAcquireRemoveLock tag', REMOVE_LOCK, p('value', 'Tag that does not match.'), p('value', 'Tag used by the earlier IoAcquireRemoveLock.')),
  on1(0xD7, 'Remove lock initialized again; initialize it once in the device extension', p('address', 'Verifier internal copy of the remove lock.'), p('address', 'Remove lock the driver passed.'), R),
  on1(0xDA, 'Driver unloading with a WMI callback still registered', p('address', 'Start address of the driver image.'), p('address', 'WMI callback still registered.'), R),
  on1(0xDB, 'Device object deleted while still registered with WMI', DEVOBJ, R, R),
  on1(0xDC, 'EtwUnregister given an invalid RegHandle', R, R, R),
  on1(0xDD, 'Driver unloading without calling EtwUnregister', p('address', 'Address of the EtwRegister call.'), p('address', 'Start address of the unloading driver.'), p('handle', 'ETW RegHandle that is still registered (Windows 8 and later).')),
  on1(0xDF, 'Synchronization object placed in session address space', p('address', 'Address of the synchronization object.'), Z, Z),
  on1(0xE0, 'Kernel routine given a user-mode address', p('address', 'User-mode address passed as an argument.'), p('size', 'Size in bytes of that address range.'), R),
  on1(0xE1, 'Synchronization object at an invalid or pageable address', p('address', 'Address of the synchronization object.'), R, R),
  on1(0xE2, 'Kernel-mode IRP carries a user-mode address', IRP, p('address', 'User-mode address found in the IRP.'), R),
  on1(0xE3, 'ZwXxx routine called with a user-mode address', p('address', 'Address of the Zw call in the driver.'), p('address', 'User-mode address passed to it.'), R),
  on1(0xE4, 'ZwXxx routine given a malformed UNICODE_STRING', p('address', 'Address of the Zw call in the driver.'), p('string-address', 'The malformed UNICODE_STRING; inspect it with dt nt!_UNICODE_STRING.'), R),
  on1(0xE5, 'Kernel routine called at the wrong IRQL', IRQL_NOW, R, R),
  on1(0xE6, 'Zw routine called above PASSIVE_LEVEL or with special kernel APCs disabled', ZW_CALL, IRQL_NOW, p('value', 'State of special kernel APCs at the call.')),
  on1(0xEA, 'Pushlock acquired while APCs were enabled', IRQL_NOW, APC_COUNT, PUSHLOCK),
  on1(0xEB, 'Pushlock released while APCs were enabled', IRQL_NOW, APC_COUNT, PUSHLOCK),
  on1(0xF0, 'memcpy called with overlapping buffers (use memmove)', p('address', 'Destination buffer.'), p('address', 'Source buffer.'), p('size', 'Number of bytes to copy.')),
  on1(0xF5, 'NULL handle passed to ObReferenceObjectByHandle', p('address', 'Location of the NULL handle that was passed.'), p('value', 'Object type that was requested.'), R),
  on1(0xF6, 'User-mode handle referenced as if it were a kernel handle', p('handle', 'Handle value being referenced; use OBJ_KERNEL_HANDLE for kernel handles.'), p('process', 'Current process; run !process on it.'), p('address', 'Driver code making the reference; run ln on it.')),
  on1(0xF7, 'Kernel handle referenced as user mode in the System process', p('handle', 'Handle value passed by the caller.'), p('value', 'Object type passed by the caller.'), ACCESS_MODE),
  on1(0xFA, 'IRP completion routine returned at a different IRQL', COMPLETION_ROUTINE, p('irql', 'IRQL before the completion routine was called.'), p('irql', 'IRQL after the completion routine returned.')),
  on1(0xFB, 'IRP completion routine changed the thread APC disable count', COMPLETION_ROUTINE, APC_COUNT, APC_BEFORE),
  on1(0xFC, 'ZwNotifyChangeKey from kernel mode with an unsupported ApcContext', p('address', 'Driver code making the call; run ln on it.'), p('value', 'ApcContext value that was passed.'), R),
  // 0x105 - 0x141
  on1(0x105, 'IRP released with ExFreePool instead of IoFreeIrp', IRP, Z, Z),
  on1(0x10A, 'Pool quota charged to the Idle process', Z, Z, Z),
  on1(0x10B, 'Pool quota charged from a DPC routine', Z, Z, Z),
  on1(0x110, 'ISR corrupted the extended thread context', ISR, p('address', 'Extended context saved before the ISR ran.'), p('address', 'Extended context saved after the ISR ran; compare the two.')),
  on1(0x111, 'ISR returned at a different IRQL', ISR, p('irql', 'IRQL before the ISR ran.'), p('irql', 'IRQL after the ISR returned.')),
  on1(0x115, 'Shutdown still not finished after 20 minutes', p('thread', 'Thread driving the shutdown, possibly deadlocked; run !thread on it.'), Z, Z),
  on1(0x11A, 'KeEnterCriticalRegion called above APC_LEVEL', IRQL_NOW, Z, Z),
  on1(0x11B, 'KeLeaveCriticalRegion called above APC_LEVEL', IRQL_NOW, Z, Z),
  on1(0x120, 'Thread waited above DISPATCH_LEVEL', WAIT_IRQL_PTR, WAIT_OBJECT, WAIT_TIMEOUT),
  on1(0x121, 'Thread waited at DISPATCH_LEVEL with no timeout', WAIT_IRQL_PTR, WAIT_OBJECT, WAIT_TIMEOUT),
  on1(0x122, 'Thread waited at DISPATCH_LEVEL with a nonzero timeout', WAIT_IRQL_PTR, WAIT_OBJECT, WAIT_TIMEOUT),
  on1(0x123, 'UserMode wait on an object that lives on the kernel stack', WAIT_OBJECT, Z, Z),
  on1(0x130, 'Work item placed in session address space', WORK_ITEM, Z, Z),
  on1(0x131, 'Work item placed in pageable memory', WORK_ITEM, Z, Z),
  on1(0x135, 'Canceled IRP was not completed in time', IRP, p('time', 'Milliseconds allowed between IoCancelIrp and completion of the IRP.'), Z),
  on1(0x13A, 'Pool tracking data found corrupt while freeing', POOL_BLOCK, p('value', 'The wrong value that was found.'), TRACKED_VALUE_ADDR),
  on1(0x13B, 'Pool tracking data found corrupt while freeing', POOL_BLOCK, TRACKED_VALUE_ADDR, p('address', 'Pointer to the bad memory page.')),
  on1(0x13C, 'Pool tracking data found corrupt while freeing', POOL_BLOCK, p('value', 'The wrong value that was found.'), TRACKED_VALUE_ADDR),
  on1(0x13D, 'Pool tracking data found corrupt while freeing', POOL_BLOCK, TRACKED_VALUE_ADDR, p('value', 'Value that was expected there.')),
  on1(0x13E, 'ExFreePool address differs from the one Verifier tracked', p('pool-address', 'Block address given by the caller.'), p('pool-address', 'Block address Verifier tracked.'), p('address', 'Where Verifier keeps the tracked address.')),
  on1(0x13F, 'ExFreePool size differs from the one Verifier tracked', POOL_BLOCK, p('size', 'Number of bytes being freed.'), p('address', 'Where Verifier keeps the tracked size.')),
  on1(0x140, 'Non-locked MDL built over pageable or tradable memory', IRQL_NOW, MDL, p('address', 'Virtual address described by the MDL.')),
  on1(0x141, 'Driver explicitly asked for physical memory below 4 GB', p('address', 'Highest physical address the driver accepts.'), p('size', 'Number of bytes to allocate.'), Z),
  // 0x1000 - 0x1013: deadlock detection and I/O buffer checks
  on1(0x1000, 'Thread re-acquired exclusively a resource it holds shared', DL_RESOURCE, R, R),
  on1(0x1001, 'Lock order violation: potential deadlock', p('address', 'Resource that closed the deadlock cycle; run !deadlock.'), R, R),
  on1(0x1002, 'Resource acquired before being initialized', DL_RESOURCE, R, R),
  on1(0x1003, 'Resources released in the wrong order', p('address', 'Resource being released.'), p('address', 'Resource that should have been released first.'), R),
  on1(0x1004, 'Resource released by a thread other than its owner', DL_RESOURCE, p('thread', 'Thread that acquired the resource.'), p('thread', 'Current thread, the one releasing it.')),
  on1(0x1005, 'Resource initialized more than once', DL_RESOURCE, R, R),
  on1(0x1007, 'Resource released before being acquired', DL_RESOURCE, R, R),
  on1(0x1008, 'Lock acquired with an API that does not fit its type', LOCK_ADDR, R, R),
  on1(0x1009, 'Lock released with an API that does not fit its type', LOCK_ADDR, R, R),
  on1(0x100A, 'Terminated thread still owns a lock', p('thread', 'Thread that owned the lock.'), R, null),
  on1(0x100B, 'Deleted lock is still owned by a thread', LOCK_ADDR, p('thread', 'Thread that owns the lock.'), R),
  on1(0x1010, 'Write IRP buffer contents changed while the write was in flight', p('device-object', 'Device object the write IRP was sent to.'), IRP, p('address', 'System address of the buffer the MDL describes.')),
  on1(0x1011, 'Read IRP buffer changed during dispatch or backed by dummy pages', p('device-object', 'Device object the IRP was sent to.'), IRP, p('address', 'System address of the buffer the MDL describes.')),
  on1(0x1012, 'Verifier extension state storage corrupted', p('string-address', 'Text describing the problem.'), p('value', 'Related data, 0 if unused.'), p('value', 'More related data, 0 if unused.')),
  on1(0x1013, 'Captured original I/O callbacks corrupted', p('driver-object', 'The driver object; run !drvobj on it.'), p('address', 'Captured copy of the original I/O callbacks.'), R),
  // 0x2000 - 0x2005: code integrity
  on1(0x2000, 'Executable pool type requested; use NonPagedPoolNx', DRV_CODE, POOL_TYPE, p('value', 'Pool tag, if one was given.')),
  on1(0x2001, 'Executable page protection requested; clear PAGE_EXECUTE*', DRV_CODE, p('flags', 'Page protection requested (WIN32_PROTECTION_MASK).'), Z),
  on1(0x2002, 'Executable MDL mapping requested; add MdlMappingNoExecute', DRV_CODE, p('flags', 'Page priority OR-ed with MdlMapping* flags.'), Z),
  on1(0x2003, 'Image has a section that is both writable and executable', IMAGE_NAME, p('address', 'Section header.'), SECTION_NAME),
  on1(0x2004, 'Image has a section that is not page aligned', IMAGE_NAME, p('address', 'Section header.'), SECTION_NAME),
  on1(0x2005, 'Image import address table lies in an executable section', IMAGE_NAME, p('address', 'IAT directory.'), SECTION_NAME),
  // 0xA001 - 0xA00E: Hyper-V extensible switch
  on1(0xA001, 'VM switch: forwarding context source handle not set', NBL, VSWITCH, R),
  on1(0xA002, 'VM switch: forwarding detail of the NBL is not zero', NBL, VSWITCH, R),
  on1(0xA003, 'VM switch: NBL lacks a packet header or routing context', NBL, VSWITCH, R),
  on1(0xA004, 'VM switch: invalid port and NIC index pair', p('value', 'ID of the invalid port.'), p('value', 'NIC index.'), VSWITCH),
  on1(0xA005, 'VM switch: invalid destination', NBL, p('address', 'Destination list.'), VSWITCH),
  on1(0xA006, 'VM switch: invalid source NIC or port', NBL, VSWITCH, R),
  on1(0xA007, 'VM switch: invalid destination list', NBL, VSWITCH, R),
  on1(0xA008, 'VM switch: NIC referenced when that is not allowed', p('address', 'Parent NIC object.'), p('value', 'NIC index.'), VSWITCH),
  on1(0xA009, 'VM switch: port referenced when that is not allowed', p('value', 'Port being referenced.'), VSWITCH, R),
  on1(0xA00A, 'VM switch: failure context already set', NBL, p('address', 'ContextTypeInfo object.'), R),
  on1(0xA00B, 'VM switch: invalid direction for a dropped NBL', NBL, p('flags', 'NDIS_SWITCH_REPORT_FILTERED_NBL_FLAGS_* value given.'), VSWITCH),
  on1(0xA00C, 'VM switch: several source ports despite the single-source send flag', NBL, p('flags', 'Send flags.'), VSWITCH),
  on1(0xA00D, 'VM switch: invalid destination despite the destination-group receive flag', NBL, VSWITCH_CTX, VSWITCH),
  on1(0xA00E, 'VM switch: NBL completed through WNV although WNV processing was disabled', NBL, VSWITCH_CTX, VSWITCH),
  // 0x0002xxxx - 0x0009xxxx: DDI compliance rules
  ...ruleCases(IRQL_RULES.map(([v, n, a]) => [v, n, a] as const)),
  ...ruleCases(IRQL_RULES_C4_ONLY),
  ...ruleCases(WDM_LOCK_RULES),
  ...ruleCases(AVSTREAM_RULES),
  ...ruleCases(AVSTREAM_RULES_C4_ONLY),
  ...ruleCases(NDIS_RULES),
];

// ---------------------------------------------------------------------------
// 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION
// ---------------------------------------------------------------------------

/** Most "WDM DRIVER ERROR" codes carry the driver code address and the IRP. */
function wdm(value: number, title: string, a4: Arg = null): BugcheckCase {
  return on1(value, title, DRV_CODE, IRP, a4);
}
/** Codes documented with Arg2 and Arg3 reserved. */
function wdmReserved(value: number, title: string): BugcheckCase {
  return on1(value, title, R, R, null);
}
const WDM_DEVOBJ = p('device-object', 'Device object involved; run !devobj on it.');
const RETURNED_STATUS = p('ntstatus', 'Status value the dispatch routine returned.');

const C9_CASES: readonly BugcheckCase[] = [
  on1(0x01, 'Freed object is not an IRP', p('irp', 'Address handed to the IRP free routine.'), Z, Z),
  on1(0x02, 'Freed IRP is still tied to a thread', p('irp', 'IRP being freed.'), Z, Z),
  on1(0x03, 'IoCallDriver given something that is not an IRP', p('irp', 'Address passed as the IRP.'), Z, Z),
  on1(0x04, 'IoCallDriver given an invalid device object', DEVOBJ, Z, Z),
  on1(0x05, 'IRQL changed across a dispatch routine', p('device-object', 'Device object of the driver at fault.'), p('irql', 'IRQL before IoCallDriver.'), p('irql', 'IRQL after IoCallDriver; it must match.')),
  on1(0x06, 'IRP completed with STATUS_PENDING or -1 as its status', p('ntstatus', 'Status the IRP was completed with.'), p('irp', 'IRP being completed; run !irp on it.'), Z),
  on1(0x07, 'Cancel routine still set when the IRP was completed', p('address', 'Cancel routine still set; clear it with IoSetCancelRoutine(Irp, NULL) before completing.'), p('irp', 'IRP being completed; run !irp on it.'), Z),
  on1(0x08, 'IoBuildAsynchronousFsdRequest given a bad buffer', DEVOBJ, p('irp-major', 'IRP major function that was requested.'), p('ntstatus', 'Exception code raised while touching the buffer.')),
  on1(0x09, 'IoBuildDeviceIoControlRequest given a bad buffer', DEVOBJ, p('ioctl', 'I/O control code of the request.'), p('ntstatus', 'Exception code raised while touching the buffer.')),
  on1(0x0A, 'IoInitializeTimer on a device whose timer is already set up', DEVOBJ, Z, Z),
  on1(0x0C, 'I/O status block lives on a stack frame that has already unwound', p('address', 'Address of the IO_STATUS_BLOCK.'), Z, Z),
  on1(0x0D, 'User event lives on a stack frame that has already unwound', p('address', 'Address of the event object.'), Z, Z),
  on1(0x0E, 'IoCompleteRequest called above DISPATCH_LEVEL', IRQL_NOW, IRP, Z),
  on1(0x0F, 'Create sent with a file object that is closed or whose open was canceled', p('device-object', 'Device object the create was sent to.'), IRP, p('file-object', 'The file object; run !fileobj on it.')),
  on1(0x10, 'IoCallDriver called above DISPATCH_LEVEL', IRQL_NOW, R, R),
  on1(0x11, 'Call above DISPATCH_LEVEL around a fast I/O dispatch routine', p('address', 'Fast I/O dispatch routine; run ln on it.'), IRQL_BEFORE, IRQL_NOW),
  on1(0x12, 'Call above DISPATCH_LEVEL around a dispatch routine', p('address', 'Dispatch routine; run ln on it.'), IRQL_BEFORE, IRQL_NOW),
  // "WDM DRIVER ERROR" codes
  on1(0x200, 'Unclassified I/O verification error', null, null, null),
  on1(0x201, 'Device deleted while still attached to a lower device (IoDetachDevice missing)', DRV_CODE, null, null),
  on1(0x202, 'IoDetachDevice on a device with nothing attached (double detach?)', DRV_CODE, WDM_DEVOBJ, null),
  wdm(0x203, 'IoCallDriver with the IRP cancel routine still set'),
  wdmReserved(0x204, 'NULL passed as the device object'),
  wdm(0x205, 'Forwarded an IRP that is still queued below (pending handling broken)'),
  wdmReserved(0x206, 'IRP forwarded without clearing the stack control field'),
  wdm(0x207, 'Upper completion routine copied along with the stack location'),
  wdm(0x208, 'IRP nearly out of stack locations (forwarded from another stack?)'),
  wdm(0x209, 'Completed an IRP that is still queued below (pending handling broken)'),
  wdmReserved(0x20A, 'IoFreeIrp on an IRP that is still active'),
  wdm(0x20B, 'IoFreeIrp on an IRP that is still active'),
  wdm(0x20C, 'IoFreeIrp on an IRP still queued against a thread'),
  wdm(0x20D, 'IoInitializeIrp on an IRP from IoAllocateIrp (quota leak; see IoReuseIrp)'),
  wdm(0x20E, 'PnP IRP status not initialized to STATUS_NOT_SUPPORTED'),
  wdm(0x20F, 'Power IRP status not initialized to STATUS_NOT_SUPPORTED'),
  wdm(0x210, 'WMI IRP status not initialized to STATUS_NOT_SUPPORTED'),
  wdm(0x211, 'IRP forwarded past a device in the stack (sent to the PDO?)'),
  wdm(0x212, 'IRP stack location trashed or badly copied'),
  wdm(0x213, 'Status changed on an IRP the driver does not handle'),
  wdm(0x214, 'Information changed on an IRP the driver does not handle'),
  wdm(0x215, 'Failed PnP IRP passed down instead of completed'),
  wdm(0x216, 'PnP IRP status turned into STATUS_NOT_SUPPORTED'),
  wdm(0x217, 'Required IRP not handled: its status was never updated'),
  wdm(0x218, 'Driver answered an IRP meant for another device in the stack'),
  wdm(0x219, 'Failed power IRP passed down instead of completed'),
  wdm(0x21A, 'Power IRP status turned into STATUS_NOT_SUPPORTED'),
  on1(0x21B, 'Suspicious status returned, probably an uninitialized variable', null, IRP, null),
  wdmReserved(0x21C, 'Stack copied without a completion routine; use IoSkipCurrentIrpStackLocation'),
  wdm(0x21D, 'Did not detach from the lower device on remove', WDM_DEVOBJ),
  wdm(0x21E, 'Did not delete its device object on remove', WDM_DEVOBJ),
  wdm(0x21F, 'Missing dispatch routine for an IRP major function that must be handled'),
  wdm(0x220, 'IRP_MJ_SYSTEM_CONTROL completed by a driver that is not its provider', p('value', 'ProviderId carried by the WMI IRP.')),
  wdm(0x221, 'PDO deleted before it was reported missing in bus relations', WDM_DEVOBJ),
  wdm(0x222, 'Bus filter detached on remove while the PDO still exists', WDM_DEVOBJ),
  wdm(0x223, 'Bus filter deleted its device while the PDO still exists', WDM_DEVOBJ),
  wdm(0x224, 'Returned status differs from IoStatus.Status of the IRP', p('ntstatus', 'Status that was expected (the value in IoStatus.Status).')),
  wdm(0x225, 'Illegal status 0xFFFFFFFF returned, likely an uninitialized local', RETURNED_STATUS),
  wdm(0x226, 'Dispatch returned without completing, forwarding or pending the IRP'),
  wdm(0x227, 'IRP completion routine lives in pageable code'),
  wdm(0x228, 'Completion routine ignored PendingReturned and did not call IoMarkIrpPending'),
  wdmReserved(0x229, 'Cancel routine set while lower drivers still own the IRP'),
  wdm(0x22A, 'PDO did not respond to a required IRP'),
  wdm(0x22B, 'PDO left the TargetDeviceRelation list empty'),
  wdmReserved(0x22C, 'PDO returned for TargetDeviceRelation without ObReferenceObject'),
  wdm(0x22D, 'Unknown PnP IRP completed instead of passed down'),
  wdm(0x22E, 'Successful PnP IRP completed instead of passed down'),
  wdm(0x22F, 'Untouched PnP IRP completed, or failed with STATUS_NOT_SUPPORTED by a non-PDO'),
  wdm(0x230, 'Unknown power IRP completed instead of passed down'),
  wdm(0x231, 'Successful power IRP completed instead of passed down'),
  wdm(0x232, 'Untouched power IRP completed, or failed with STATUS_NOT_SUPPORTED by a non-PDO'),
  wdm(0x233, 'Query capabilities: Version field not initialized'),
  wdm(0x234, 'Query capabilities: Size field not initialized'),
  wdm(0x235, 'Query capabilities: Address field not initialized to -1'),
  wdm(0x236, 'Query capabilities: UINumber field not initialized to -1'),
  wdmReserved(0x237, 'Driver sent an IRP that only the system may send'),
  wdmReserved(0x238, 'IoInitializeIrp on an IRP from IoAllocateIrp (see IoReuseIrp)'),
  wdmReserved(0x239, 'IRP completed that was never sent with IoCallDriver or PoCallDriver'),
  wdm(0x23A, 'IRP forwarded at an IRQL not allowed for its major function'),
  wdm(0x23B, 'Status changed on an IRP the driver does not handle'),
  wdmReserved(0x23C, 'IRP completed with its cancel routine still set'),
  wdm(0x23D, 'STATUS_PENDING returned without IoMarkIrpPending', RETURNED_STATUS),
  wdm(0x23E, 'IRP marked pending but STATUS_PENDING not returned', RETURNED_STATUS),
  wdmReserved(0x23F, 'DO_POWER_PAGABLE not inherited from the lower device'),
  on1(0x240, 'Device object deleted twice with IoDeleteDevice', DRV_CODE, R, null),
  wdm(0x241, 'Device detached while handling surprise removal', WDM_DEVOBJ),
  wdm(0x242, 'Device deleted while handling surprise removal', WDM_DEVOBJ),
  wdmReserved(0x243, 'DO_DEVICE_INITIALIZING not cleared at the end of AddDevice'),
  wdmReserved(0x244, 'DO_BUFFERED_IO or DO_DIRECT_IO not copied from the lower device'),
  wdmReserved(0x245, 'Both DO_BUFFERED_IO and DO_DIRECT_IO are set'),
  wdmReserved(0x246, 'DeviceType not copied from the lower device'),
  wdmReserved(0x247, 'Driver failed an IRP that may not be failed'),
  wdm(0x248, 'Device that is not a PDO added to a device relations list', WDM_DEVOBJ),
  on1(0x249, 'Two child PDOs report the same device ID', DRV_CODE, p('device-object', 'First PDO.'), p('device-object', 'Second PDO.')),
  on1(0x24A, 'File I/O routine called above PASSIVE_LEVEL', DRV_CODE, R, R),
  on1(0x24B, 'TargetDeviceRelation completed as success but not filled in or forwarded', DRV_CODE, WDM_DEVOBJ, null),
  wdm(0x24C, 'STATUS_PENDING returned without IoMarkIrpPending', RETURNED_STATUS),
  wdm(0x24D, 'Routine that needs a PDO given some other device object', WDM_DEVOBJ),
  // Enhanced I/O Verification
  wdm(0x300, 'Suspicious status returned, probably an uninitialized variable', p('ntstatus', 'The suspicious status value.')),
  wdm(0x301, 'IRP forwarded above DISPATCH_LEVEL', p('irql', 'IRQL the IRP was forwarded at.')),
  wdm(0x302, 'IRP forwarded at APC_LEVEL or above; completion APC can deadlock', p('irql', 'IRQL the IRP was forwarded at.')),
  wdm(0x306, 'Remove-device PnP IRP completed with a failure status'),
  wdm(0x307, 'Request sent with an already signaled event came back pending'),
  wdm(0x310, 'IRP reinitialized while still in use'),
  wdm(0x311, 'Reinitialized an IRP built by IoBuild* or IoMakeAssociatedIrp'),
  wdm(0x312, 'IoStatus.Information larger than the output buffer'),
];

// ---------------------------------------------------------------------------
// 0x10D WDF_VIOLATION
// ---------------------------------------------------------------------------

const WDFREQUEST = p('wdf-handle', 'WDFREQUEST handle; run !wdfkd.wdfrequest on it.');
const WDFDEVICE = p('wdf-handle', 'WDFDEVICE handle; run !wdfkd.wdfdevice on it.');
const WDF_R4 = p('reserved', 'Reserved for every WDF_VIOLATION case.');

const WDF_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Power operation timed out (often DO_POWER_PAGABLE missing on a paging stack)', p('address', 'WDF_POWER_ROUTINE_TIMED_OUT_DATA; dump it with dt.'), R, WDF_R4),
  on1(0x2, 'Tried to acquire a lock that is already held; check the caller stack', R, R, WDF_R4),
  on1(0x3, 'Request completed while its buffers were still referenced (see !wdflogdump)', WDFREQUEST, p('count', 'References still held on the input and output buffers.'), WDF_R4),
  on1(0x4, 'NULL passed where a non-NULL argument is required', R, p('address', 'Caller address; run ln on it to find the function.'), WDF_R4),
  on1(0x5, 'Handle of the wrong object type passed to a framework method', p('wdf-handle', 'Handle that was passed; check its type with !wdfkd.wdfhandle.'), R, WDF_R4),
  on1(0x6, 'Fatal error handling a framework request', sel('WDF_REQUEST_FATAL_ERROR code; see the nested cases.'), p('value', 'Meaning depends on Arg2.'), WDF_R4, {
    selector: 1,
    cases: [
      on2(0x1, 'No I/O stack locations left to format the underlying IRP', IRP, WDF_R4),
      on2(0x2, 'Formatted a framework request that has no IRP', WDFREQUEST, WDF_R4),
      on2(0x3, 'Request already sent to an I/O target was sent again', WDFREQUEST, WDF_R4),
      on2(0x4, 'More bytes written to the output buffer than the IRP allows', p('address', 'Length-mismatch data: IRP, request handle, major function and bytes written.'), WDF_R4),
    ],
  }),
  on1(0x7, 'Object deleted with WdfObjectDereference instead of WdfObjectDelete', p('wdf-handle', 'Handle of the object; check it with !wdfkd.wdfhandle.'), R, WDF_R4),
  on1(0x8, 'DMA transaction object used in the wrong state', p('wdf-handle', 'DMA transaction handle.'), R, WDF_R4),
  on1(0x9, 'Unused sub-code', null, null, WDF_R4),
  on1(0xA, 'Fatal error on a request that sits in a queue', p('address', 'WDF_QUEUE_FATAL_ERROR_DATA: the request or queue, plus a status when known.'), R, WDF_R4),
  kase(0xB, 'Invalid lock acquire or release', [SEL, p('wdf-handle', 'Handle of the object or WDF spin lock involved.'), sel('Lock error kind; see the nested cases.'), WDF_R4], {
    selector: 2,
    cases: [
      kase(0x0, 'Object does not support synchronization locks', [SEL, p('wdf-handle', 'Handle given to WdfObjectAcquireLock or WdfObjectReleaseLock.'), SEL, WDF_R4]),
      kase(0x1, 'WDF spin lock released by a thread other than its owner', [SEL, p('wdf-handle', 'WDF spin lock handle.'), SEL, WDF_R4]),
    ],
  }),
  on1(0xC, 'Second state-changing PnP IRP arrived before the first finished', WDFDEVICE, p('irp', 'The new PnP IRP; run !irp on it.'), WDF_R4),
  on1(0xD, 'Power policy owner got a power IRP it did not request (two owners?)', WDFDEVICE, p('irp', 'The power IRP; run !irp on it.'), WDF_R4),
  on1(0xE, 'Event callback returned at a different IRQL than it was called at', p('irql', 'IRQL the callback was called at.'), p('irql', 'IRQL the callback returned at (spin lock left held?).'), WDF_R4),
  on1(0xF, 'Event callback returned without leaving a critical region', p('address', 'The event callback; run ln on it.'), R, WDF_R4),
];

// ---------------------------------------------------------------------------
// 0x9F DRIVER_POWER_STATE_FAILURE
// ---------------------------------------------------------------------------

const POP_FX_DEVICE = p('address', 'POP_FX_DEVICE of the device.');

const POWER_STATE_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Device object freed with a power request still outstanding', DEVOBJ, R, R),
  on1(0x2, 'System power IRP completed without calling PoStartNextPowerIrp', p('device-object', 'Target device object, if available.'), DEVOBJ, p('driver-object', 'Driver object, if available; run !drvobj on it.')),
  on1(0x3, 'Device held a power IRP for too long', p('device-object', 'PDO of the stack; run !devstack on it.'), p('address', 'nt!_TRIAGE_9F_POWER triage block.'), p('irp', 'The blocked IRP; run !irp on it to find the driver holding it.')),
  on1(0x4, 'Power transition timed out waiting for the PnP lock', p('time', 'Time-out value in seconds.'), p('thread', 'Thread holding the PnP lock; run !thread on it.'), p('address', 'nt!_TRIAGE_9F_PNP triage block.')),
  on1(0x5, 'Directed power transition did not finish in time', p('device-object', 'PDO of the stack.'), POP_FX_DEVICE, Z),
  on1(0x6, 'Directed power transition callback did not succeed', POP_FX_DEVICE, p('value', '1 = directed power down, 0 = power up.'), Z),
  on1(0x500, 'System power IRP completed without calling PoStartNextPowerIrp', R, p('device-object', 'Target device object, if available.'), DEVOBJ),
];

// ---------------------------------------------------------------------------
// 0xFE BUGCODE_USB_DRIVER
// ---------------------------------------------------------------------------

const USB_TIMEOUTS: readonly (readonly [number, string])[] = [
  [0, 'Non-fatal time-out'],
  [1, 'Could not resume a suspended port'],
  [2, 'Client-started reset did not finish before the port suspend'],
  [3, 'Port resume did not finish before the port suspend'],
  [4, 'Port-change state machine not disabled before the port suspend'],
  [5, 'Suspend-port request did not finish'],
  [6, 'Port-change state machine not disabled in time'],
  [7, 'Port-change state machine not closed in time'],
  [8, 'Hub did not resume from selective suspend'],
  [9, 'Hub did not resume from selective suspend before system suspend'],
  [10, 'Port-change state machine did not become idle'],
];
const USB_PORT_DATA = p('address', 'Time-out context: the port data.');

const USB_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Internal error in the USB stack', R, R, R),
  on1(0x2, 'URB submitted while still attached to another pending IRP', p('irp', 'IRP already pending with that URB.'), p('irp', 'IRP that was passed in.'), p('address', 'The URB at fault.')),
  on1(0x3, 'USB miniport raised the bug check, usually after a hardware failure', R, R, R),
  on1(0x4, 'IRP resubmitted while the USB bus driver still holds it', IRP, p('address', 'The URB.'), R),
  on1(0x5, 'Bad physical address in a hardware data structure', p('address', 'Host controller device extension.'), p('value', 'PCI vendor and product ID of the controller.'), p('address', 'Endpoint data structure.')),
  on1(0x6, 'Internal USB object corrupted', p('address', 'Address of the object.'), p('value', 'Signature that was expected.'), R),
  on1(0x7, 'usbport.sys reported an error; read the message string', p('address', 'usbport.sys debug log.'), p('string-address', 'Message text describing the failure.'), p('string-address', 'Source file name.')),
  on1(0x8, 'USB hub driver failure', sel('Hub failure kind; see the nested cases.'), p('value', 'Meaning depends on Arg2.'), p('value', 'Meaning depends on Arg2.'), {
    selector: 1,
    cases: [
      on2(1, 'Reserved hub sub-code', R, R),
      on2(2, 'Hub driver got an IRP it does not expect or did not register for', DEVOBJ, IRP),
      on2(3, 'Reserved hub sub-code', R, R),
      on2(4, 'Fatal PDO trap', p('value', 'PDO, or a context value when Arg4 is NULL.'), p('value', 'Context value, or NULL.')),
      on2(5, 'Reserved hub sub-code', R, R),
      on2(6, 'Fatal hub time-out', sel('Time-out code; see the nested cases.'), USB_PORT_DATA, {
        selector: 2,
        cases: USB_TIMEOUTS.map(([v, t]) => kase(v, t, [SEL, SEL, SEL, USB_PORT_DATA])),
      }),
    ],
  }),
];

// ---------------------------------------------------------------------------
// 0x7F UNEXPECTED_KERNEL_MODE_TRAP
// ---------------------------------------------------------------------------

const TRAPS: readonly (readonly [number, string])[] = [
  [0x00, 'Divide by zero'],
  [0x01, 'Debug trap (system debugger call)'],
  [0x03, 'Breakpoint (INT3)'],
  [0x04, 'Overflow'],
  [0x05, 'BOUND range exceeded'],
  [0x06, 'Invalid opcode (corrupt instruction pointer or memory)'],
  [0x07, 'Coprocessor instruction with no coprocessor'],
  [0x08, 'Double fault (often kernel stack overflow; check !thread stack limits)'],
  [0x0A, 'Invalid task state segment'],
  [0x0B, 'Segment not present'],
  [0x0C, 'Stack fault'],
  [0x0D, 'General protection fault'],
  [0x0F, 'Reserved trap'],
  [0x10, 'Coprocessor (x87) error'],
  [0x11, 'Alignment check'],
];

// ---------------------------------------------------------------------------
// 0x119 VIDEO_SCHEDULER_INTERNAL_ERROR
// ---------------------------------------------------------------------------

const VIDSCH: readonly (readonly [number, string])[] = [
  [0x1, 'Display driver reported an invalid fence ID'],
  [0x2, 'Display driver failed to submit a command'],
  [0x3, 'Display driver failed to patch a command buffer'],
  [0x4, 'Display driver reported an invalid flip capability'],
  [0x5, 'Display driver failed a system or paging command'],
  [0x6, 'Interrupt on a multi-adapter GPU reported with a NULL adapter mask'],
  [0x7, 'VSync reported on a render-only adapter'],
  [0x8, 'Engine causing the reset is missing from the node mask'],
  [0x9, 'Display driver failed a cancel command'],
  [0xA, 'Aborted fence reported out of range'],
  [0xB, 'SetVidPnSourceAddressWithMultiPlaneOverlay failed'],
  [0xC, 'Page fault flags signal a fatal hardware fault'],
  [0xD, 'Wrong page fault flags in a DMA page-faulted interrupt'],
  [0xE, 'VSync reported for an overlay plane index out of range'],
  [0xF, 'Unused sub-code'],
  [0x10, 'Unexpected interrupt after an engine reset'],
  [0x11, 'Suspend fence value that the OS never issued'],
  [0x12, 'Native fence monitored value update failed'],
  [0x13, 'Native fence current value update failed'],
  [0x400, 'Internal scheduler state error (memory corruption or bad hardware)'],
  [0xE00, 'Out of preallocated packets for passive flip requests'],
  [0x1000, 'Internal scheduler state error (memory corruption or bad hardware)'],
  [0xA000, 'Internal scheduler state error (memory corruption or bad hardware)'],
  [0x10000, 'Internal scheduler state error (memory corruption or bad hardware)'],
];

// ---------------------------------------------------------------------------
// 0x124 WHEA_UNCORRECTABLE_ERROR
// ---------------------------------------------------------------------------

const WHEA_RECORD = p('address', 'WHEA_ERROR_RECORD; run !errrec on it.');
const WHEA: readonly (readonly [number, string])[] = [
  [0x1, 'Corrected machine check'],
  [0x2, 'Corrected platform error'],
  [0x3, 'Nonmaskable interrupt (NMI) error'],
  [0x4, 'Uncorrectable PCI Express error'],
  [0x5, 'Generic hardware error'],
  [0x6, 'Initialization error'],
  [0x7, 'Boot error'],
  [0x8, 'SCI generic error'],
  [0xA, 'Corrected Itanium machine check'],
  [0xB, 'Corrected Itanium platform error'],
  [0xC, 'Other error source (v2)'],
  [0xD, 'SCI-based GHESv2 error'],
  [0xE, 'Baseboard management controller error'],
  [0xF, 'Persistent memory address range scrub error'],
  [0x10, 'Device driver error source'],
  [0x11, 'Arm synchronous external abort'],
  [0x12, 'Arm SError interrupt'],
];
const WHEA_CASES: readonly BugcheckCase[] = [
  on1(0x0, 'Machine check exception', WHEA_RECORD, p('value', 'High 32 bits of MCi_STATUS of the failing MCA bank.'), p('value', 'Low 32 bits of MCi_STATUS of the failing MCA bank.')),
  on1(0x9, 'Uncorrectable Itanium machine check abort', WHEA_RECORD, p('size', 'Length of the SAL log in bytes.'), p('address', 'Address of the SAL log.')),
  ...WHEA.map(([v, t]) => on1(v, t, WHEA_RECORD, R, R)),
].sort((a, b) => a.value - b.value);

// ---------------------------------------------------------------------------
// 0x139 KERNEL_SECURITY_CHECK_FAILURE (sub-codes are documented in decimal)
// ---------------------------------------------------------------------------

const SECURITY_CHECKS: readonly (readonly [number, string])[] = [
  [0, 'Stack buffer overrun (legacy /GS check)'],
  [1, 'Illegal virtual function table (VTGuard); object likely corrupted'],
  [2, 'Stack buffer overrun caught by the stack cookie (/GS)'],
  [3, 'Corrupted LIST_ENTRY (for example a double remove)'],
  [4, 'Reserved sub-code'],
  [5, 'Invalid argument passed to a routine that treats it as fatal'],
  [6, 'Stack cookie not initialized by the loader (driver built for a newer OS?)'],
  [7, 'Fatal program exit requested'],
  [8, 'Compiler-inserted array bounds check failed'],
  [9, 'RtlQueryRegistryValues DIRECT query without TYPECHECK on an untrusted hive'],
  [10, 'Indirect call guard (CFG) caught a bad call target'],
  [11, 'Write guard caught an invalid memory write'],
  [12, 'Switch to an invalid fiber context'],
  [13, 'Invalid register context assigned'],
  [14, 'Invalid object reference count'],
  [18, 'Switch to an invalid jmp_buf context'],
  [19, 'Unsafe change to read-only data'],
  [20, 'Cryptographic self-test failed'],
  [21, 'Invalid exception handler chain'],
  [22, 'Cryptographic library error'],
  [23, 'Invalid call made from inside DllMain'],
  [24, 'Invalid image base address'],
  [25, 'Failure while protecting a delay-load import'],
  [26, 'Call to an unsafe extension'],
  [27, 'Deprecated service called'],
  [28, 'Out-of-bounds buffer access'],
  [29, 'Corrupted RTL_BALANCED_NODE tree entry'],
  [37, 'Switch jump table entry out of range'],
  [38, 'longjmp to an invalid target'],
  [39, 'Export-suppressed call target could not be made valid'],
];
const SECURITY_TRAP = p('address', 'Trap frame of the failure; use .trap on it.');
const SECURITY_EXR = p('address', 'Exception record of the failure; use .exr on it.');

// ---------------------------------------------------------------------------
// 0x13A KERNEL_MODE_HEAP_CORRUPTION
// ---------------------------------------------------------------------------

const HEAP_CORRUPTIONS: readonly (readonly [number, string])[] = [
  [0x3, 'Corrupt heap entry header'],
  [0x4, 'Several corrupt heap entry headers'],
  [0x5, 'Corrupt entry header of a large allocation'],
  [0x6, 'Corruption that looks like a buffer overrun'],
  [0x7, 'Corruption that looks like a buffer underrun'],
  [0x8, 'Free block passed to an operation that needs a busy block'],
  [0x9, 'Invalid argument for the heap operation'],
  [0xA, 'Internal heap error tied to the allocation type'],
  [0xB, 'Block used after it was freed'],
  [0xC, 'Wrong heap passed for this operation'],
  [0xD, 'Corrupt free list (use-after-free or overflow of a neighbour)'],
  [0xE, 'Corrupt list other than the free list'],
  [0xF, 'Free or size query on a block that is already free'],
  [0x10, 'Invalid internal heap state (possible buffer overflow)'],
  [0x11, 'Invalid internal heap state (possible double free)'],
  [0x12, 'Invalid internal heap state (use-after-free or overflow of a neighbour)'],
  [0x13, 'NULL heap handle passed; check the call stack'],
  [0x14, 'Allocation larger than the current limit'],
  [0x15, 'Commit request would exceed the commit limit'],
  [0x16, 'Internal heap error (bad address or memory corruption)'],
  [0x17, 'Corrupt block in the delay-free list (use-after-free or overflow)'],
];

// ---------------------------------------------------------------------------
// 0xC2 BAD_POOL_CALLER, 0x19 BAD_POOL_HEADER, 0xC1 SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION
// ---------------------------------------------------------------------------

const START_ADDR = p('pool-address', 'Start address the caller tried to free.');
const PFN = p('value', 'Physical page frame number of that address.');
const HIGHEST_PFN = p('value', 'Highest physical page frame number.');
const POOL_ADDR = p('pool-address', 'Address of the pool block; run !pool on it.');

const BAD_POOL_CALLER_CASES: readonly BugcheckCase[] = [
  on1(0x00, 'Zero-byte pool allocation requested', Z, POOL_TYPE, POOL_TAG),
  ...many([0x01, 0x02, 0x04], (v) => on1(v, 'Pool header corrupted', p('address', 'Pool header; run !pool on it.'), p('value', 'First part of the pool header contents.'), Z)),
  on1(0x06, 'Pool block freed twice', R, p('address', 'Pool header.'), p('value', 'Pool header contents.')),
  on1(0x07, 'Pool block freed twice', R, p('value', 'Pool header contents.'), POOL_BLOCK),
  on1(0x08, 'Pool allocated at an invalid IRQL', IRQL_NOW, POOL_TYPE, ALLOC_SIZE),
  on1(0x09, 'Pool freed at an invalid IRQL', IRQL_NOW, POOL_TYPE, POOL_BLOCK),
  on1(0x0A, 'Pool freed with the wrong tag (maybe another component owns it)', POOL_ADDR, p('value', 'Tag used when the block was allocated.'), p('value', 'Tag passed when freeing.')),
  ...many([0x0B, 0x0C, 0x0D], (v) => on1(v, 'Quota released on a corrupted pool allocation', POOL_ADDR, p('value', 'Tag of the allocation.'), p('process', 'Quota process pointer, which is bad.'))),
  on1(0x40, 'Kernel pool free at a user-mode address', START_ADDR, p('address', 'Start of system address space.'), Z),
  on1(0x41, 'Freed a nonpaged pool address that is not allocated', START_ADDR, PFN, HIGHEST_PFN),
  ...many([0x42, 0x43], (v) => on1(v, 'Freed an address that does not belong to any pool', p('address', 'Address being freed.'), Z, Z)),
  on1(0x44, 'Freed a nonpaged pool address that is not allocated', START_ADDR, R, Z),
  on1(0x46, 'Freed an invalid pool address', START_ADDR, Z, Z),
  on1(0x47, 'Freed a nonpaged pool address that is not allocated', START_ADDR, PFN, HIGHEST_PFN),
  on1(0x48, 'Freed a paged pool address that is not allocated', START_ADDR, R, R),
  on1(0x50, 'Freed a paged pool address that is not allocated', START_ADDR, p('value', 'Offset in pages from the start of paged pool.'), p('size', 'Size of paged pool in bytes.')),
  on1(0x60, 'Bad pointer passed to MmFreeContiguousMemory', START_ADDR, Z, Z),
  on1(0x99, 'Freed pool at an invalid address (or pool header corrupted)', p('address', 'Address being freed.'), Z, Z),
  on1(0x9A, 'Allocation marked MUST_SUCCEED, which is no longer supported', POOL_TYPE, p('size', 'Number of bytes requested.'), POOL_TAG),
  on1(0x9B, 'Allocation with a pool tag of 0', POOL_TYPE, p('size', 'Number of bytes requested.'), CALLER),
  on1(0x9C, "Allocation with the pool tag 'BIG'", POOL_TYPE, p('size', 'Number of bytes requested.'), CALLER),
  on1(0x9D, 'Allocation with a tag that has no letters or digits', p('value', 'The pool tag that was used.'), POOL_TYPE, CALLER),
  on1(0x41286, 'Freed a paged pool address pointing inside an allocation, not at its start', R, R, p('value', 'Offset in pages from the start of paged pool.')),
];

const BAD_POOL_HEADER_CASES: readonly BugcheckCase[] = [
  on1(0x2, 'Special pool fill pattern damaged, most likely by the block owner', p('pool-address', 'Pool entry being checked.'), p('size', 'Size of the pool block.'), Z),
  on1(0x3, 'Pool free list corrupt', p('pool-address', 'Pool entry being checked.'), p('address', 'Flink read back from the free list; should equal Arg2.'), p('address', 'Blink read back from the free list; should equal Arg2.')),
  on1(0x5, 'Headers of two adjacent pool entries contradict each other', p('pool-address', 'One of the two pool entries.'), R, p('pool-address', 'The other pool entry.')),
  on1(0x6, 'Previous-size field of a pool header too large', p('pool-address', 'Entry that was computed wrongly.'), R, p('pool-address', 'Bad entry that caused the miscalculation.')),
  on1(0x7, 'Pool block header size corrupt', Z, R, p('pool-address', 'The bad pool entry.')),
  on1(0x8, 'Pool block header size is zero', Z, R, p('pool-address', 'The bad pool entry.')),
  on1(0x9, 'Pool block header size too large', p('pool-address', 'Entry that was computed wrongly.'), R, p('pool-address', 'Bad entry that caused the miscalculation.')),
  on1(0xA, 'Pool block header size corrupt', p('pool-address', 'Pool entry the pool walk expected to find.'), R, p('address', 'Page that was expected to contain that entry.')),
  ...many([0xD, 0xE, 0xF, 0x23, 0x24, 0x25], (v) => on1(v, 'Header of a freed block changed after the free (often an overrun of the block before it)', R, R, R)),
  on1(0x20, 'Pool block header size corrupt', p('pool-address', 'Pool entry the pool walk expected to find.'), p('pool-address', 'Next pool entry.'), R),
  on1(0x21, 'Data after the freed block corrupt: the block was overrun', p('pool-address', 'Pool pointer being freed.'), p('size', 'Bytes allocated for the block.'), p('value', 'Corrupted value found after the block.')),
  on1(0x22, 'Freed address has no tracking entry (double free or never allocated)', p('address', 'Address being freed.'), R, R),
];

const FREED_ADDR = p('pool-address', 'Address the driver tried to free.');
const SPECIAL_POOL_CASES: readonly BugcheckCase[] = [
  on4(0x20, 'Freed special pool that was never allocated', FREED_ADDR, R, Z),
  ...many([0x21, 0x22], (v) => on4(v, 'Freed a bad special pool address', FREED_ADDR, p('size', 'Bytes the driver requested.'), p('size', 'Bytes actually handed to the caller.'))),
  on4(0x23, 'Bytes near the freed block (same page) were corrupted', FREED_ADDR, p('address', 'Where the corrupted bytes are.'), R),
  on4(0x24, 'Bytes after the end of the freed block were overwritten', FREED_ADDR, p('address', 'Where the corrupted bytes are.'), R),
  on4(0x30, 'Special pool allocated at a wrong IRQL', IRQL_NOW, POOL_TYPE, ALLOC_SIZE),
  on4(0x31, 'Special pool freed at a wrong IRQL', IRQL_NOW, POOL_TYPE, FREED_ADDR),
  on4(0x32, 'Single-bit error near the freed block', FREED_ADDR, p('address', 'Where the flipped bit is.'), R),
];

// ---------------------------------------------------------------------------
// 0x4E PFN_LIST_CORRUPT
// ---------------------------------------------------------------------------

const PFN_CASES: readonly BugcheckCase[] = [
  on1(0x01, 'Page list head corrupted', p('value', 'ListHead value that was corrupted.'), p('count', 'Number of pages available.'), Z),
  on1(0x02, 'Page list entry corrupted', p('value', 'Entry being removed from the list.'), p('value', 'Highest physical page number.'), p('count', 'Reference count of the page being taken off the list.')),
  on1(0x06, 'Hardware or prototype PTE corrupted (bit flip, broken DMA)', p('value', 'Page frame number.'), p('address', 'Prototype PTE.'), p('value', 'PTE contents.')),
  on1(0x07, 'Page unlocked more times than it was locked (MDL unlocked twice?)', p('value', 'Page frame number.'), p('count', 'Current share count.'), Z),
  on1(0x8D, 'Page free list corrupted, most likely hardware', p('value', 'PFN whose state does not add up.'), Z, Z),
  on1(0x8F, 'Free or zeroed page list head corrupted', p('value', 'New page number.'), p('value', 'Old page number.'), Z),
  on1(0x99, 'PTE or PFN entry corrupted', p('value', 'Page frame number.'), p('value', 'Current page state.'), Z),
  on1(0x9A, 'Page freed while still locked for an I/O', p('value', 'Page frame number.'), p('value', 'Current page state.'), p('count', 'Reference count of the page being taken off the list.')),
];

// ---------------------------------------------------------------------------
// 0x50 PAGE_FAULT_IN_NONPAGED_AREA (Arg4 tells the kind of fault)
// ---------------------------------------------------------------------------

const PF_ARG1 = p('address', 'Memory address that was referenced; check it with !pte and !pool.');
const PF_ARG2 = p('flags', 'Access kind; x64/x86 since 1507: 0 read, 2 write, 0x10 execute (Arm: 0, 1, 8; older: 0 read, 1 write).');
const PF_ARG3 = p('address', 'Instruction that made the reference, if known; run ln on it.');
const PAGE_FAULT_CASES: readonly BugcheckCase[] = [
  on4(0x0, 'Address lies on a page table entry marked free', PF_ARG1, PF_ARG2, PF_ARG3),
  on4(0x2, 'Address has no valid active page table entry', PF_ARG1, PF_ARG2, PF_ARG3),
  on4(0x3, 'Session-space address used from a process with no session (up to RS3)', PF_ARG1, PF_ARG2, PF_ARG3),
  on4(0x4, 'Address is not canonical, so it can never be valid', PF_ARG1, PF_ARG2, PF_ARG3),
  on4(0xF, 'Kernel code touched a user-mode address where that is not allowed', PF_ARG1, PF_ARG2, PF_ARG3),
];

// ---------------------------------------------------------------------------
// 0xA0 INTERNAL_POWER_ERROR
// ---------------------------------------------------------------------------

const HIBER_CTX = p('address', 'POP_HIBER_CONTEXT of the hibernation.');
const EXPECTED_SUM = p('value', 'Checksum that was expected.');
const ACTUAL_SUM = p('value', 'Checksum that was computed.');
const SLEEP_STATE = p('value', 'System power state being entered.');
const SLEEP_CHECKPOINT = p('value', 'Last sleep checkpoint reached.');
const POWER_THREAD = p('thread', 'Thread handling the request; run !thread on it.');
const IO_STACK = p('address', 'IO_STACK_LOCATION of the power IRP.');
const PENDING_LIST = p('address', 'List of pending power IRPs.');
const PLUGIN = p('address', 'POP_FX_PLUGIN of the power engine plug-in (PEP).');
const COMPONENT = p('address', 'POP_FX_COMPONENT involved.');
const COMPONENT_FLAGS = p('flags', 'POP_FX_COMPONENT_FLAGS of the component.');
const COMPONENT_INDEX = p('value', 'Component index.');
const IDLE_INDEX = p('value', 'Coordinated idle state index.');
const PEP_HANDLE = p('handle', 'PEPHANDLE of the power engine plug-in.');
const PEP_ACTIVITY = p('address', 'POP_PEP_ACTIVITY involved.');
const ACTIVITY_TYPE = '0 DevicePowerOn, 1 ComponentIdleStateChange, 2 ComponentActivating, 3 ComponentActive, 4 DevicePowerOff, 5 DeviceSuspend';
const COORD_STATE = p('address', 'PPM_COORDINATED_STATE whose reference count was being changed.');
const TAG_FIELD = p('value', 'Four-character tag naming the field; decode it with .formats.');
const PO_FAILURE = p('ntstatus', 'Failure status code.');

const INTERNAL_POWER_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Error while handling a power IRP', sel('Detail of the error; see the nested cases.'), p('value', 'Meaning depends on Arg2.'), p('value', 'Meaning depends on Arg2.'), {
    selector: 1,
    cases: [
      on2(1, 'Device exceeded its maximum number of references', p('count', 'Maximum number of references allowed.'), null),
      ...many([2, 3, 4], (v) => on2(v, 'Too many inrush power IRPs queued', p('count', 'Maximum number of pending IRPs allowed.'), null)),
      on2(5, 'Power IRP routed to a passive-level device object', null, null),
      on2(6, 'System could not allocate a needed power IRP', p('device-object', 'Target device object.'), p('value', '0 = system power IRP, 1 = device power IRP.')),
    ],
  }),
  on1(0x2, 'Internal failure while processing a power event', R, R, R),
  on1(0x3, 'Checksum mismatch on a hibernation context page', EXPECTED_SUM, ACTUAL_SUM, p('value', 'Source line number of the failure.')),
  on1(0x4, 'Checksum mismatch on a page before it went into the hibernation file', EXPECTED_SUM, ACTUAL_SUM, p('value', 'Source line number of the failure.')),
  on1(0x5, 'Unknown shutdown code sent to the shutdown handler', R, R, R),
  on1(0x7, 'Unhandled exception during power processing', R, R, R),
  on1(0x8, 'Fatal error while processing a system power event', p('value', 'Always 0x100.'), DEVOBJ, p('address', 'POWER_CHANNEL_SUMMARY.')),
  on1(0x9, 'Fatal error while preparing the hibernation file', p('ntstatus', 'Status code of the failure.'), p('value', 'Mirroring phase.'), R),
  on1(0xA, 'Bug check requested on resume for debugging', p('value', 'When: 0 right on resume, 1 after nonpageable devices powered on, 2 after all devices powered on.'), R, R),
  on1(0xB, 'Hibernation file too small', p('size', 'Size of the hibernation file.'), p('value', 'HIBERFILE_PROGRESS_* step reached (0 free map through 6 memory image).'), p('size', 'When Arg3 is 4: size of the memory ranges still to write.')),
  on1(0xC, 'Dump stack failed to initialize', p('ntstatus', 'Status code of the failure.'), p('address', 'Dump stack context.'), R),
  on1(0xD, 'Power transition did not finish in time', SLEEP_STATE, SLEEP_CHECKPOINT, p('address', 'POP_POWER_ACTION structure.')),
  on1(0xF, 'Power transition did not finish in time', SLEEP_STATE, SLEEP_CHECKPOINT, POWER_THREAD),
  on1(0xF0, 'Suspend transition did not finish in time', SLEEP_STATE, SLEEP_CHECKPOINT, POWER_THREAD),
  on1(0xF1, 'Resume transition did not finish in time', SLEEP_STATE, SLEEP_CHECKPOINT, POWER_THREAD),
  on1(0x101, 'Unhandled exception during a system power event', R, p('address', 'Exception pointers; use .exr and .cxr on its members.'), R),
  on1(0x102, 'Hibernation work buffer size is not page aligned', R, p('address', 'DUMP_INITIALIZATION_CONTEXT.'), HIBER_CTX),
  on1(0x103, 'Not all hibernation working pages were accounted for', R, HIBER_CTX, R),
  on1(0x104, 'Hibernation memory mapped while its structures were locked', R, HIBER_CTX, R),
  on1(0x105, 'Hibernation memory mapped with an unsupported memory type flag', R, HIBER_CTX, R),
  on1(0x106, 'Hibernation MDL describes memory that is not page aligned', R, MDL, R),
  on1(0x107, 'Hibernation data structures disagree', R, HIBER_CTX, p('address', 'PO_MEMORY_RANGE_ARRAY.')),
  on1(0x108, 'Disk did not write part of the hibernation file', R, HIBER_CTX, R),
  on1(0x109, 'Checksum mismatch on the processor state data', R, EXPECTED_SUM, ACTUAL_SUM),
  on1(0x10A, 'Storage stack failed a read or write of the hibernation file', R, HIBER_CTX, PO_FAILURE),
  on1(0x10B, 'PoSetHiberRange called at the wrong time', R, p('value', 'Current hibernation progress.'), R),
  on1(0x10C, 'PoSetHiberRange called with invalid arguments', R, p('flags', 'Flags passed to PoSetHiberRange.'), p('size', 'Length to mark.')),
  on1(0x10D, 'Secure kernel failed while providing resume data', R, HIBER_CTX, PO_FAILURE),
  on1(0x10E, 'Disk returned corrupt data from the hibernation file', R, p('value', 'Checksum that was wrong.'), p('value', 'Checksum of the previous disk read.')),
  on1(0x10F, 'Internal error while checkpointing sleep progress', p('value', 'Current sleep checkpoint.'), p('value', 'Error: 0 written with paging off too early, 1 written by a CPU other than 0, 2 EFI runtime service running.'), R),
  on1(0x110, 'Could not disable system sleep states', R, R, R),
  on1(0x111, 'User-present call stack capture requested by a debug option', R, R, R),
  on1(0x200, 'Unknown device type checked for idle', R, DEVOBJ, p('address', 'DEVICE_OBJECT_POWER_EXTENSION.')),
  on1(0x300, 'Unknown status from a battery power IRP', R, DEVOBJ, IRP),
  on1(0x301, 'Battery entered an unknown state', R, DEVOBJ, IRP),
  on1(0x400, 'Device exceeded its maximum number of references', R, IO_STACK, DEVOBJ),
  ...many([0x401, 0x402, 0x403], (v) => on1(v, 'Too many inrush power IRPs queued', R, PENDING_LIST, DEVOBJ)),
  on1(0x404, 'Power IRP routed to a passive-level device object', R, IO_STACK, DEVOBJ),
  on1(0x500, 'Unknown status from a thermal power IRP', R, IRP, DEVOBJ),
  on1(0x600, 'Device registered twice with the runtime power framework (PoFx)', p('device-object', 'PDO of the device.'), R, R),
  on1(0x601, 'No power engine plug-in accepted the device registration', POP_FX_DEVICE, p('address', 'PEP_DEVICE_REGISTER.'), R),
  on1(0x602, 'Devnode sleep count differs from its activation count', p('address', 'Device node; run !devnode on it.'), p('count', 'Sleep count.'), R),
  on1(0x603, 'Power engine plug-in made an invalid work request', PLUGIN, p('value', 'Work request type.'), R),
  on1(0x605, 'Power engine plug-in refused a mandatory device notification', p('value', 'Notification ID.'), PLUGIN, R),
  on1(0x606, 'Critical component moved to a condition it already had', COMPONENT, COMPONENT_FLAGS, p('value', 'Condition requested for the component.')),
  on1(0x607, 'Runtime power device-removal lock could not be acquired', POP_FX_DEVICE, p('ntstatus', 'Status of the failed acquisition.'), R),
  on1(0x608, 'Component idled without a preceding active request', COMPONENT, COMPONENT_FLAGS, R),
  on1(0x609, 'Plug-in repeated a power required/not required request', PLUGIN, POP_FX_DEVICE, p('value', 'Repeated request: 0 power required, 1 power not required.')),
  on1(0x610, 'Plug-in asked power not required while power required is pending', PLUGIN, POP_FX_DEVICE, R),
  on1(0x611, 'Plug-in named an invalid component', PLUGIN, POP_FX_DEVICE, p('value', 'The invalid component index.')),
  on1(0x612, 'Plug-in asked for extra work when no buffer was supplied', PLUGIN, R, R),
  on1(0x613, 'Driver completed a request that was not pending', POP_FX_DEVICE, COMPONENT_INDEX, p('value', 'Operation: 0 power-not-required completion, 1 powered-on report, 2 idle completion.')),
  on1(0x614, 'Active/idle request with an illegal argument', POP_FX_DEVICE, COMPONENT_INDEX, p('value', 'Problem: 0 blocking flag at DISPATCH_LEVEL+, 1 blocking with async-only, 2 bad component index.')),
  on1(0x615, 'Plug-in completed a component activation illegally', PLUGIN, COMPONENT, p('value', 'Problem: 0 not in idle state 0, 1 already active, 2 no activation pending, 3 idle change pending.')),
  on1(0x616, 'Plug-in requested an illegal idle state change', PLUGIN, COMPONENT, p('value', 'Problem: 0 invalid idle state, 1 already in that state, 2 skipped idle state 0.')),
  on1(0x617, 'Plug-in returned an invalid acceptance type for a device', PLUGIN, p('string-address', 'Device ID (UNICODE_STRING).'), p('address', 'PEP_DEVICE_REGISTER registration.')),
  on1(0x618, 'Runtime power worker thread blocked for too long', p('address', 'POP_FX_WORK_ORDER_WATCHDOG_INFO.'), R, R),
  on1(0x619, 'Device blocked the deepest runtime idle state for too long', POP_FX_DEVICE, COMPONENT_INDEX, p('address', 'DEVICE_NODE of the child really responsible, or NULL.')),
  on1(0x61A, 'Plug-in gave invalid component performance state data', PLUGIN, POP_FX_DEVICE, R),
  on1(0x61B, 'Perf state request before registering perf states', POP_FX_DEVICE, COMPONENT_INDEX, R),
  on1(0x61C, 'Perf state request with invalid arguments', POP_FX_DEVICE, COMPONENT_INDEX, p('value', 'Which argument: 0 = PerfChangesCount exceeds the registered sets.')),
  on1(0x61D, 'Perf state request while another is outstanding', POP_FX_DEVICE, COMPONENT_INDEX, p('address', 'Context of the outstanding request.')),
  on1(0x61E, 'Plug-in forced a critical transition on the debugger device while auto transitions were on', R, R, R),
  on1(0x61F, 'Automatic debugger transitions for an idle state that is not platform-wide', POP_FX_DEVICE, IDLE_INDEX, R),
  on1(0x620, 'D-state dependency on an idle state that is not platform-wide', POP_FX_DEVICE, IDLE_INDEX, R),
  on1(0x621, 'F-state dependency on an idle state that is not platform-wide', POP_FX_DEVICE, COMPONENT_INDEX, IDLE_INDEX),
  on1(0x622, 'Unregistered from PoFx while dependents remain', p('address', 'Parent POP_FX_COMPONENT.'), p('address', 'Child POP_FX_COMPONENT.'), R),
  on1(0x666, 'Default plug-in started an activity that conflicts with another', PEP_ACTIVITY, p('value', `New activity type: ${ACTIVITY_TYPE}.`), p('value', 'Conflicting activity type, same numbering as Arg3.')),
  on1(0x667, 'Default plug-in completed an activity that is not running', PEP_ACTIVITY, p('value', `Activity type: ${ACTIVITY_TYPE}.`), p('value', 'POP_PEP_ACTIVITY_STATUS.')),
  on1(0x668, 'Default plug-in removed a platform idle constraint that was not set', COORD_STATE, p('count', 'Invalid reference count that was seen.'), p('flags', 'Mask of the platform idle states being updated.')),
  on1(0x669, 'Default plug-in consistency error while announcing an idle state', COORD_STATE, p('count', 'Invalid reference count that was seen.'), R),
  on1(0x680, 'Required ACPI table missing or malformed (usually a BIOS bug)', PO_FAILURE, R, R),
  on1(0x700, 'Plug-in gave invalid processor idle dependencies', PEP_HANDLE, p('address', 'PEP_PPM_IDLE_SELECT.'), R),
  on1(0x701, 'Processor hung during an idle transition', p('value', 'Index of the idle state chosen.'), p('address', 'PRCB of the hung processor.'), p('value', 'Index of the hung processor.')),
  on1(0x702, 'Processor woke from a non-interruptible state without an OS wake', p('value', 'Index of the idle state chosen.'), p('value', 'Idle synchronization state of the processor.'), p('address', 'PRCB of the processor.')),
  on1(0x703, 'Plug-in gave invalid idle dependencies for a platform state query', PEP_HANDLE, p('address', 'PEP_PPM_QUERY_PLATFORM_STATE.'), R),
  on1(0x704, 'Coordinated idle transition did not finish in time', R, R, R),
  on1(0x705, 'Plug-in changed a read-only field of a notification buffer', PEP_HANDLE, p('value', 'Notification.'), TAG_FIELD),
  on1(0x706, 'Plug-in returned an illegal value in a notification buffer', p('value', 'Notification.'), TAG_FIELD, p('value', 'The illegal value, or the index of the bad array entry.')),
  on1(0x800, 'Monitor turned on unexpectedly during connected standby', p('value', 'Current connected standby state.'), R, R),
  on1(0x801, 'Invalid display state transition', p('value', 'Reason for the display state change.'), p('value', 'ID of the session that changed the display state.'), R),
  on1(0x802, 'Idle phase blocked the move to modern standby for too long', p('value', 'POWER_MONITOR_REQUEST_REASON that turned the display off.'), p('value', 'Power event processor state: 1 on, 0 off.'), p('address', 'POP_PDC_IDLE_PHASE_WATCHDOG_CONTEXT global.')),
  on1(0x900, 'Power-setting callback returned at a different IRQL', p('address', 'The power-setting callback; run ln on it.'), IRQL_BEFORE, IRQL_AFTER),
  on1(0x901, 'Kernel APCs enabled or disabled while handling a power IRP', DEVOBJ, IRP, APC_COUNT),
  on1(0x4001, 'Kernel failure during a power operation', sel('Kernel error sub-code; see the nested cases.'), R, R, {
    selector: 1,
    cases: [
      on2(0x100, 'Processor power-on by firmware timed out', R, R),
      on2(0x101, 'Invalid interrupt target', R, R),
      on2(0x102, 'Could not change the target of an interrupt line', R, R),
      on2(0x103, 'IPI failed while an interrupt was being redirected', R, R),
      on2(0x104, 'Processor architecture not supported', R, R),
    ],
  }),
  on1(0xAA64, 'Arm64 PSCI function hit an unrecoverable error', p('value', 'Error code.'), p('value', 'ID of the PSCI function in progress.'), p('value', 'Optional internal context data.')),
];

// ---------------------------------------------------------------------------
// 0xE6 DRIVER_VERIFIER_DMA_VIOLATION
// ---------------------------------------------------------------------------

const DMA_ADAPTER = p('address', 'The DMA adapter (DMA_ADAPTER).');
const DMA_VRF = p('address', 'Verifier internal data for the adapter.');
const DMA_BUF_LEN = p('size', 'Length of the DMA buffer.');
const DMA_BUF_START = p('address', 'Start of the DMA buffer.');
const DMA_CORRUPT = p('address', 'Address of the corrupted bytes.');
const DMA_VA = p('address', 'Start VA of the DMA buffer.');
const DMA_MDL = p('address', 'MDL describing the DMA buffer.');
const DMA_CODE = sel('Violation code; see the nested cases.');

const DMA_CASES: readonly BugcheckCase[] = [
  on1(0x00, 'Miscellaneous DMA error', DMA_CODE, null, null, {
    selector: 1,
    cases: [
      on2(0x1, 'Flush asked for more bytes than remain in the map register file', p('size', 'Bytes left in the MDL.'), p('size', 'Bytes the driver asked to flush.')),
      on2(0x2, 'Out of contiguous map registers', p('count', 'Map registers needed.'), p('count', 'Contiguous map registers available.')),
    ],
  }),
  on1(0x01, 'Performance counter went backwards', null, null, null),
  on1(0x02, 'Performance counter advanced too fast', null, null, null),
  on1(0x03, 'Too many common buffers freed (same buffer freed twice?)', p('count', 'Number of extra common buffers freed.'), null, null),
  on1(0x04, 'Too many adapter channels freed (same channel freed twice?)', p('count', 'Number of extra adapter channels freed.'), null, null),
  on1(0x05, 'Too many map registers freed (same register freed twice?)', p('count', 'Number of extra map registers freed.'), null, null),
  on1(0x06, 'Too many scatter/gather lists freed (same list freed twice?)', p('count', 'Scatter/gather lists allocated.'), p('count', 'Scatter/gather lists freed.'), null),
  on1(0x07, 'Adapter released with common buffers still allocated', DMA_ADAPTER, p('count', 'Common buffers still outstanding.'), DMA_VRF),
  on1(0x08, 'Adapter released with channels, buffers or lists still outstanding', DMA_ADAPTER, p('count', 'Adapter channels still outstanding.'), DMA_VRF),
  on1(0x09, 'Adapter released with map registers still outstanding', DMA_ADAPTER, p('count', 'Map registers still outstanding.'), DMA_VRF),
  on1(0x0A, 'Adapter released with scatter/gather lists still outstanding', DMA_ADAPTER, p('count', 'Scatter/gather lists still outstanding.'), DMA_VRF),
  on1(0x0B, 'More than one adapter channel allocated at once', p('count', 'Adapter channels outstanding.'), null, null),
  on1(0x0C, 'Too many map registers allocated at once', p('count', 'Map registers required.'), p('count', 'Maximum map registers.'), null),
  on1(0x0D, 'Adapter buffers were not flushed', p('size', 'Bytes mapped.'), p('size', 'Most bytes that can be mapped at once.'), null),
  on1(0x0E, 'DMA transfer on a buffer that was not locked (paged memory)', p('address', 'MDL of the DMA buffer.'), null, null),
  on1(0x0F, 'Driver or hardware wrote outside its DMA buffer', DMA_CODE, null, null, {
    selector: 1,
    cases: [
      on2(0x1, 'Guard tag before the buffer was overwritten (expected DmaVrfy0)', DMA_BUF_LEN, DMA_BUF_START),
      on2(0x2, 'Guard tag after the buffer was overwritten (expected DmaVrfy0)', DMA_BUF_LEN, DMA_BUF_START),
      on2(0x3, 'Free map register was overwritten (fill pattern 0x0F)', DMA_CORRUPT, null),
      on2(0x4, 'Padding before the buffer was modified (pattern 0x0F)', DMA_BUF_START, DMA_CORRUPT),
      on2(0x5, 'Padding after the buffer was modified (pattern 0x0F)', DMA_BUF_START, DMA_CORRUPT),
    ],
  }),
  on1(0x10, 'Map registers freed while some are still mapped', p('count', 'Map registers still mapped.'), null, null),
  on1(0x11, 'Too many outstanding references on the adapter', p('count', 'Reference count.'), DMA_ADAPTER, DMA_VRF),
  on1(0x13, 'DMA routine called at the wrong IRQL', DMA_CODE, null, null, {
    selector: 1,
    cases: [
      on2(0x1, 'IRQL differs from the one expected', p('irql', 'IRQL that was expected.'), IRQL_NOW),
      on2(0x2, 'IRQL higher than allowed', p('irql', 'Highest IRQL allowed.'), IRQL_NOW),
    ],
  }),
  on1(0x14, 'DMA routine called at the wrong IRQL', null, null, null),
  on1(0x15, 'Too many map registers allocated', p('count', 'Map registers allocated.'), p('count', 'Maximum map registers.'), null),
  on1(0x16, 'Flush of a buffer that is not mapped', p('address', 'System virtual address of the map register.'), DMA_VRF, null),
  on1(0x18, 'DMA adapter used after it was released', DMA_ADAPTER, DMA_VRF, null),
  on1(0x19, 'NULL DMA adapter passed to a HAL routine', null, null, null),
  on1(0x1B, 'Address outside the MDL bounds passed to a HAL routine', p('address', 'Virtual address outside the MDL.'), p('address', 'The MDL.'), null),
  on1(0x1D, 'Address range mapped a second time', p('address', 'Start of the buffer to map.'), p('address', 'End of the buffer to map.'), p('address', 'System address in the buffer that is already mapped.')),
  on1(0x1E, 'Obsolete HalGetAdapter called; use IoGetDmaAdapter', null, null, null),
  on1(0x1F, 'Invalid DMA buffer', DMA_CODE, null, null, {
    selector: 1,
    cases: [
      on2(0x1, 'Buffer address lies before the first MDL', DMA_VA, p('address', 'First MDL describing the DMA buffer.')),
      on2(0x2, 'Buffer address lies after the first MDL', DMA_VA, p('address', 'First MDL describing the DMA buffer.')),
      on2(0x3, 'Transfer longer than the MDL runs across a page boundary', DMA_MDL, p('size', 'Length of the DMA transfer.')),
      on2(0x4, 'Buffer address not cache aligned', DMA_VA, DMA_MDL),
      on2(0x5, 'Buffer length not cache aligned', DMA_BUF_LEN, DMA_MDL),
    ],
  }),
  on1(0x20, 'Flush of a map register that was never mapped', p('address', 'Map register base.'), DMA_VA, DMA_MDL),
  on1(0x21, 'Zero-length buffer mapped for a transfer', DMA_VRF, null, null),
  on1(0x22, 'DMA buffer not mapped in system address space', p('address', 'The MDL.'), null, null),
  on1(0x23, 'Channel flushed before it completed or was canceled', DMA_CODE, null, null, {
    selector: 1,
    cases: [on2(0x0, 'Illegal channel flush', p('value', 'Controller ID.'), p('value', 'Channel number.'))],
  }),
  on1(0x24, 'Buffer too small for the requested length', p('size', 'Length not accounted for.'), null, null),
  on1(0x25, 'Unknown device description version', null, null, null),
  on1(0x26, 'IOMMU caught a DMA violation', p('device-object', 'Device object of the faulting device.'), p('address', 'Fault information, usually the faulting physical address.'), p('value', 'Fault type (hardware specific).')),
];

// ---------------------------------------------------------------------------
// 0x144 BUGCODE_USB3_DRIVER
// ---------------------------------------------------------------------------

const USB3_CLIENT_DO = p('device-object', 'Device object of the client driver.');
const USB3_URB = p('address', 'The URB.');
const XHCI_CTX = p('address', 'XHCI_LIVEDUMP_CONTEXT.');
const HUB3_CTX = p('address', 'USBHUB3_LIVEDUMP_CONTEXT.');

const XHCI_EVENTS: readonly (readonly [number, string])[] = [
  [0x1001, 'xHCI controller signaled a host system error (HSE)'],
  [0x1002, 'xHCI controller signaled a host controller error (HCE)'],
  [0x1003, 'Stop Endpoint command completed with a code the driver does not handle'],
  [0x1004, 'Endpoint context state error after a stop endpoint command'],
  [0x1005, 'Set dequeue pointer failed while clearing a control endpoint stall'],
  [0x1006, 'Reset endpoint failed while clearing a control endpoint stall'],
  [0x1007, 'Controller reset failed during reset recovery'],
  [0x1008, 'Controller restart failed during reset recovery'],
  [0x1009, 'Controller command did not complete after the timeout abort'],
  [0x100A, 'Set dequeue pointer failed after an endpoint stop'],
  [0x100B, 'Controller stop failed during reset recovery'],
  [0x100C, 'Controller firmware not supported; update it'],
  [0x100D, 'Controller was physically removed'],
  [0x100E, 'Error on a stream-enabled endpoint'],
  [0x100F, 'Controller firmware outdated; an update is advised'],
  [0x1010, 'Transfer event with an unhandled completion code'],
  [0x1011, 'Event ring full; events may have been dropped'],
  [0x1012, 'Command completed out of order'],
  [0x1013, 'Wrong command ring dequeue pointer after a command abort'],
  [0x1014, 'Bad slot ID returned by enable slot'],
  [0x1015, 'SetAddress with BSR1 failed'],
  [0x1016, 'Enable slot failed during a device reset'],
  [0x1017, 'Configure endpoint command failed while deconfiguring'],
  [0x1018, 'Disable slot command failed'],
  [0x1019, 'Reset device command failed'],
  [0x101A, 'Set dequeue pointer failed after an endpoint reset'],
  [0x101B, 'Reset Endpoint command completed with a code the driver does not handle'],
  [0x101C, 'xHCI D0Entry failed'],
  [0x101D, 'Stream endpoint drop and re-add failed during request cancellation'],
  [0x101E, 'Completion for a transfer not pending (EventData 1)'],
  [0x101F, 'Completion for a transfer not pending (EventData 0, address not matched)'],
  [0x1020, 'Completion for a transfer not pending; event may be redundant'],
  [0x1021, 'Stream endpoint drop and re-add failed while resetting a non-halted endpoint'],
  [0x1022, 'Dropping and adding the same endpoint in one command failed'],
];
const HUB3_EVENTS: readonly (readonly [number, string])[] = [
  [0x3000, 'Misbehaving hub was reset successfully'],
  [0x3001, 'Misbehaving hub could not be reset'],
  [0x3002, 'Non-functional SuperSpeed hub was disabled'],
  [0x3003, 'USB device failed enumeration'],
];

const USB3_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Client reused a URB it had already sent to the core stack', p('irp', 'IRP used to resend the URB, if any.'), USB3_URB, USB3_CLIENT_DO),
  on1(0x2, 'Boot or paging device did not come back after re-enumeration', p('device-object', 'PDO of the boot device.'), R, R),
  on1(0x3, 'Client sent a corrupted URB (allocate with USBD_xxxUrbAllocate)', p('irp', 'IRP used to send the URB, if any.'), p('address', 'The corrupted URB.'), USB3_CLIENT_DO),
  on1(0x800, 'Open Static Streams sent above PASSIVE_LEVEL', p('irql', 'IRQL the request was sent at.'), p('irp', 'Open Static Streams IRP.'), USB3_CLIENT_DO),
  on1(0x801, 'Static streams opened before querying the streams capability', p('irp', 'Open Static Streams IRP.'), p('address', 'Open Static Streams URB.'), USB3_CLIENT_DO),
  on1(0x802, 'Invalid number of static streams requested', p('count', 'Streams the client asked for.'), p('count', 'Streams granted to the client.'), USB3_CLIENT_DO),
  on1(0x803, 'Static streams opened on an endpoint that already has them', p('irp', 'Open Static Streams IRP.'), p('address', 'Open Static Streams URB.'), USB3_CLIENT_DO),
  on1(0x804, 'USBD handle not closed or URB not freed', p('address', 'Leaked handle context; run !usbanalyze -v (needs Verifier).'), p('device-object', 'Device object passed to USBD_CreateHandle.'), R),
  on1(0x805, 'Close Static Streams sent in an invalid state', p('wdf-handle', 'WDFREQUEST of the Close Static Streams URB.'), p('address', 'Close Static Streams URB.'), USB3_CLIENT_DO),
  on1(0x806, 'Chained MDL sent before querying the chained MDL capability', IRP, USB3_URB, USB3_CLIENT_DO),
  on1(0x807, 'Transfer length larger than the MDL byte count', p('address', 'The chained MDL.'), USB3_URB, p('device-object', 'Device object of the client driver, if known.')),
  ...XHCI_EVENTS.map(([v, t]) => on1(v, t, XHCI_CTX, R, R)),
  ...HUB3_EVENTS.map(([v, t]) => on1(v, t, HUB3_CTX, R, R)),
];

// ---------------------------------------------------------------------------
// Other selector-driven codes
// ---------------------------------------------------------------------------

const PNP_FATAL_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'Duplicate PDO: same device ID and unique ID enumerated twice', p('device-object', 'Newly reported PDO.'), p('device-object', 'Older PDO it duplicates.'), R),
  on1(0x2, 'Routine that needs a PDO got an FDO, garbage or an unreported PDO', p('device-object', 'Object passed as the PDO.'), p('driver-object', 'Driver object; run !drvobj on it.'), R),
  on1(0x3, 'Enumerated ID has illegal characters or no terminator', p('device-object', 'PDO whose IDs were queried.'), p('string-address', 'Buffer holding the bad ID.'), p('value', 'Which ID: 1 DeviceID, 2 UniqueID, 3 HardwareIDs, 4 CompatibleIDs.')),
  on1(0x4, 'PDO enumerated again after it was deleted', p('device-object', 'PDO marked delete-pending.'), R, R),
  on1(0x5, 'PDO freed while still in the devnode tree (missing reference?)', p('device-object', 'The PDO.'), R, R),
  on1(0x8, 'NULL PDO returned in bus relations', p('device-object', 'PDO whose stack returned the relations.'), p('count', 'Number of PDOs returned.'), p('value', 'Zero-based index of the first NULL entry.')),
  on1(0x9, 'Wrong connection type passed to IoDisconnectInterruptEx', p('value', 'Connection type passed; it must match IoConnectInterruptEx.'), R, R),
  on1(0xA, 'PnP notification callback changed IRQL or APC disable count', p('driver-object', 'Driver object of the callback.'), p('irql', 'IRQL after the callback returned.'), p('count', 'Combined APC disable count after the callback returned.')),
  on1(0xB, 'Already deleted PDO reported as a removal relation', p('device-object', 'The related PDO.'), p('address', 'Removal relations list.'), R),
];

const MEM_START = p('address', 'Start of the memory range checked.');
const MEM_END = p('address', 'End of the memory range checked.');
const DPC_ROUTINE = p('address', 'DPC routine; run ln on it.');
const TIMER_DPC_CASES: readonly BugcheckCase[] = [
  on1(0x0, 'Timer object found in memory where timers are not allowed (freed or unloading?)', p('address', 'The timer object.'), MEM_START, MEM_END),
  on1(0x1, 'DPC object found in memory where DPC objects are not allowed', p('address', 'The DPC object.'), MEM_START, MEM_END),
  on1(0x2, 'DPC routine found in memory where it is not allowed', DPC_ROUTINE, MEM_START, MEM_END),
  on1(0x3, 'DPC object has a wrong processor number', p('address', 'The DPC object.'), p('value', 'Processor number in the DPC.'), p('count', 'Number of processors.')),
  on1(0x4, 'DPC routine changed the thread APC disable count', DPC_ROUTINE, p('count', 'APC disable count before the DPC routine.'), p('count', 'APC disable count once the DPC routine returned.')),
  on1(0x5, 'Timer DPC routine changed the thread APC disable count', DPC_ROUTINE, p('count', 'APC disable count before the DPC routine.'), p('count', 'APC disable count once the DPC routine returned.')),
];

const WORKER_CASES: readonly BugcheckCase[] = [
  on1(0x0, 'Active work item freed', WORK_ITEM, p('address', 'Start of the pool block.'), p('address', 'End of the pool block.')),
  on1(0x1, 'Work item queued while already active', WORK_ITEM, p('value', 'Queue number.'), Z),
  on1(0x2, 'Queued I/O work item freed', WORK_ITEM, p('address', 'I/O worker routine; run ln on it.'), Z),
  on1(0x3, 'I/O work item initialized with an invalid object', WORK_ITEM, p('address', 'The invalid object.'), Z),
  on1(0x5, 'Work item queued before worker queues were initialized', WORK_ITEM, p('value', 'Queue number.'), p('value', 'Target NUMA node; -1 means every node was tried.')),
  on1(0x6, 'Work item queued with an invalid queue type', WORK_ITEM, p('value', 'Queue number.'), Z),
  on1(0x7, 'Work item queued with an invalid worker routine address', WORK_ITEM, p('value', 'Queue number.'), Z),
];

const INPAGE_STATUS = p('ntstatus', 'Error status of the failed in-page, usually an I/O status.');
const INPAGE_CASES: readonly BugcheckCase[] = [
  on1(0x1, 'In-page failed while holding lock type 1', INPAGE_STATUS, p('process', 'Current process; run !process on it.'), p('address', 'Virtual address that could not be paged in.')),
  on1(0x2, 'In-page failed while holding lock type 2', INPAGE_STATUS, Z, p('address', 'Virtual address that could not be paged in.')),
  on1(0x3, 'In-page failed while holding lock type 3', INPAGE_STATUS, p('address', '0, or else the InPageSupport structure.'), p('address', 'Virtual address that could not be paged in.')),
  on1(0x4, 'In-page failed while holding lock type 4', INPAGE_STATUS, p('address', 'InPageSupport structure.'), p('address', 'Faulting address.')),
];

const DPC_WATCHDOG_CASES: readonly BugcheckCase[] = [
  on1(0x0, 'A single DPC or ISR ran longer than allowed; the stack shows who', p('count', 'Time the DPC has run, in clock ticks.'), p('count', 'Time allowed for one DPC, in clock ticks.'), p('address', 'Cast it to nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK for more data.')),
  on1(0x1, 'Too much cumulative time spent at DISPATCH_LEVEL or above', p('count', 'Watchdog period.'), p('address', 'Cast it to nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK for more data.'), R),
];

const PCI_VERIFIER_CASES: readonly BugcheckCase[] = [
  on1(0x01, 'BIOS reprogrammed an active bridge during docking', null, null, null),
  on1(0x02, 'PMCSR register not updated within the time the spec requires', null, null, null),
  on1(0x03, 'Driver wrote to PCI configuration space that Windows controls', null, null, null),
];

// 0x1C4: the same DDI rules, reported as a live dump instead of a crash.
const LIVEDUMP_RULES: readonly RuleRow[] = [
  ...AVSTREAM_RULES,
  ...PORTCLS_RULES,
  ...IRQL_RULES.map(([v, n, , b]) => [v, n, b] as const),
  ...WDM_LOCK_RULES,
  ...NDIS_RULES,
];

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

const PAGE_FAULT_ARGS: FourParameters = [FAULT_ADDR, FAULT_RW, FAULT_IP, R];
const IRQL_FAULT_ARGS: FourParameters = [
  p('address', 'Memory address that was referenced; check it with !pte and !pool.'),
  p('irql', 'IRQL at the time of the reference.'),
  FAULT_RW,
  p('address', 'Code address that made the reference; run ln on it.'),
];

export const BUGCHECK_REFERENCE: readonly BugcheckReference[] = [
  {
    code: 0x0A,
    name: 'IRQL_NOT_LESS_OR_EQUAL',
    url: page('bug-check-0xa--irql-not-less-or-equal'),
    summary: 'Pageable or invalid memory was touched at a raised IRQL, usually a bad pointer or code/data that should be nonpaged.',
    parameters: [
      p('address', 'Address that could not be accessed; below 0x1000 means a NULL dereference, !pool shows if it is paged.'),
      p('irql', 'IRQL at the time of the fault (2 = DISPATCH_LEVEL).'),
      p('flags', 'Access bits: bit 0 set = write, bit 3 set = execute (0 read, 1 write, 8 execute).'),
      p('address', 'Instruction pointer at the fault; run ln on it to name the function.'),
    ],
  },
  {
    code: 0x18,
    name: 'REFERENCE_BY_POINTER',
    url: page('bug-check-0x18--reference-by-pointer'),
    summary: 'An object reference count went wrong, typically a driver dereferencing an object one time too many.',
    parameters: [p('value', 'Object type of the object being dereferenced.'), p('address', 'Object being dereferenced; run !object on it.'), R, R],
  },
  {
    code: 0x19,
    name: 'BAD_POOL_HEADER',
    url: page('bug-check-0x19--bad-pool-header'),
    summary: 'A pool block header is corrupt, usually because some code overran the block in front of it.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: BAD_POOL_HEADER_CASES,
  },
  {
    code: 0x1E,
    name: 'KMODE_EXCEPTION_NOT_HANDLED',
    url: page('bug-check-0x1e--kmode-exception-not-handled'),
    summary: 'Kernel-mode code raised an exception that no handler caught.',
    parameters: [
      EXC_CODE,
      p('address', 'Address where the exception happened; run ln on it to find the driver.'),
      p('value', 'First information word of the exception record.'),
      p('value', 'Next information word; for an access violation it is the address that was accessed.'),
    ],
  },
  {
    code: 0x20,
    name: 'KERNEL_APC_PENDING_DURING_EXIT',
    url: page('bug-check-0x20--kernel-apc-pending-during-exit'),
    summary: 'A thread exited with a kernel APC still queued, often from an unbalanced critical region or mutex.',
    parameters: [p('address', 'APC still pending when the thread exited.'), p('count', 'Thread APC disable count; nonzero means an unbalanced enter/leave.'), IRQL_NOW, R],
  },
  {
    code: 0x3B,
    name: 'SYSTEM_SERVICE_EXCEPTION',
    url: page('bug-check-0x3b--system-service-exception'),
    summary: 'An exception happened while running a system service and was not handled.',
    parameters: [
      EXC_CODE,
      p('address', 'Instruction that caused the exception; run ln on it.'),
      p('address', 'Context record of the exception; use .cxr on it, then k.'),
      p('reserved', 'Not used; zero.'),
    ],
  },
  {
    code: 0x44,
    name: 'MULTIPLE_IRP_COMPLETE_REQUESTS',
    url: page('bug-check-0x44--multiple-irp-complete-requests'),
    summary: 'IoCompleteRequest was called on an IRP that was already completed.',
    parameters: [p('irp', 'The IRP completed twice; run !irp on it to see its stack.'), R, R, R],
  },
  {
    code: 0x4E,
    name: 'PFN_LIST_CORRUPT',
    url: page('bug-check-0x4e--pfn-list-corrupt'),
    summary: 'The PFN database is damaged, frequently by a driver handing in a bad MDL.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: PFN_CASES,
  },
  {
    code: 0x50,
    name: 'PAGE_FAULT_IN_NONPAGED_AREA',
    url: page('bug-check-0x50--page-fault-in-nonpaged-area'),
    summary: 'An invalid system memory address was referenced, often freed memory or a bad pointer.',
    parameters: [PF_ARG1, PF_ARG2, PF_ARG3, sel('Type of page fault; see the case list.')],
    selector: 3,
    cases: PAGE_FAULT_CASES,
  },
  {
    code: 0x7A,
    name: 'KERNEL_DATA_INPAGE_ERROR',
    url: page('bug-check-0x7a--kernel-data-inpage-error'),
    summary: 'A page of kernel data could not be read back from the paging file, usually a disk or storage problem.',
    parameters: [
      sel('Lock type 1-4 when it matches a case, otherwise the address of the PTE.'),
      INPAGE_STATUS,
      p('value', 'Depends on Arg1; in the PTE layout it holds the PTE contents.'),
      p('address', 'Faulting address.'),
    ],
    selector: 0,
    cases: INPAGE_CASES,
  },
  {
    code: 0x7E,
    name: 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
    url: page('bug-check-0x7e--system-thread-exception-not-handled'),
    summary: 'A system thread raised an exception that no handler caught.',
    parameters: [
      EXC_CODE,
      p('address', 'Address where the exception happened; run ln on it to find the driver.'),
      p('address', 'Exception record; use .exr on it.'),
      p('address', 'Context record; use .cxr on it, then k for the real stack.'),
    ],
  },
  {
    code: 0x7F,
    name: 'UNEXPECTED_KERNEL_MODE_TRAP',
    url: page('bug-check-0x7f--unexpected-kernel-mode-trap'),
    summary: 'The CPU raised a trap the kernel could not handle, such as a double fault from a kernel stack overflow.',
    parameters: [sel('Processor trap number.'), null, null, null],
    selector: 0,
    cases: TRAPS.map(([v, t]) => on1(v, t, null, null, null)),
  },
  {
    code: 0x8E,
    name: 'KERNEL_MODE_EXCEPTION_NOT_HANDLED',
    url: page('bug-check-0x8e--kernel-mode-exception-not-handled'),
    summary: 'Kernel-mode code raised an exception that no handler caught.',
    parameters: [EXC_CODE, p('address', 'Address where the exception happened; run ln on it.'), p('address', 'Trap frame; use .trap on it.'), R],
  },
  {
    code: 0x9F,
    name: 'DRIVER_POWER_STATE_FAILURE',
    url: page('bug-check-0x9f--driver-power-state-failure'),
    summary: 'A driver left a power request unfinished or in an inconsistent state for too long.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: POWER_STATE_CASES,
  },
  {
    code: 0xA0,
    name: 'INTERNAL_POWER_ERROR',
    url: page('bug-check-0xa0--internal-power-error'),
    summary: 'The power manager hit a fatal error, from power IRP handling to hibernation and runtime power management.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: INTERNAL_POWER_CASES,
  },
  {
    code: 0xBE,
    name: 'ATTEMPTED_WRITE_TO_READONLY_MEMORY',
    url: page('bug-check-0xbe--attempted-write-to-readonly-memory'),
    summary: 'A driver wrote to read-only memory.',
    parameters: [p('address', 'Virtual address that was written.'), p('value', 'Contents of the PTE for that address.'), R, R],
  },
  {
    code: 0xC1,
    name: 'SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION',
    url: page('bug-check-0xc1--special-pool-detected-memory-corruption'),
    summary: 'Special pool caught a driver writing to or freeing memory it does not own.',
    parameters: [null, null, null, sel('Type of violation (this code keys on Arg4).')],
    selector: 3,
    cases: SPECIAL_POOL_CASES,
  },
  {
    code: 0xC2,
    name: 'BAD_POOL_CALLER',
    url: page('bug-check-0xc2--bad-pool-caller'),
    summary: 'The current thread made a bad pool request (wrong IRQL, double free, bad tag or address).',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: BAD_POOL_CALLER_CASES,
  },
  {
    code: 0xC4,
    name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
    url: page('bug-check-0xc4--driver-verifier-detected-violation'),
    summary: 'Driver Verifier caught a driver breaking a kernel rule; Arg1 says which one.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: C4_CASES,
    ranges: [
      ruleRange(0x00020000, 0x00020FFF, 'IRQL DDI'),
      ruleRange(0x00040000, 0x00043FFF, 'WDM DDI'),
      ruleRange(0x00081000, 0x00082FFF, 'AVStream (KS)'),
      ruleRange(0x00091000, 0x00094FFF, 'NDIS/WLAN'),
    ],
  },
  {
    code: 0xC5,
    name: 'DRIVER_CORRUPTED_EXPOOL',
    url: page('bug-check-0xc5--driver-corrupted-expool'),
    summary: 'Invalid memory was touched at too high an IRQL, typically because a driver corrupted the system pool.',
    parameters: IRQL_FAULT_ARGS,
  },
  {
    code: 0xC7,
    name: 'TIMER_OR_DPC_INVALID',
    url: page('bug-check-0xc7--timer-or-dpc-invalid'),
    summary: 'A kernel timer or DPC lives where it must not, often in memory being freed or a driver being unloaded.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: TIMER_DPC_CASES,
  },
  {
    code: 0xC8,
    name: 'IRQL_UNEXPECTED_VALUE',
    url: page('bug-check-0xc8--irql-unexpected-value'),
    summary: 'The IRQL was not what the kernel expected, usually after a routine returned at a changed IRQL.',
    parameters: [
      p('value', 'Packed value: (current IRQL << 16) | (expected IRQL << 8) | unique code.'),
      p('address', 'By unique code: APC KernelRoutine (0/1), callout routine (2), ISR (3), APCs-disabled flag (0xfe).'),
      p('address', 'By unique code: the APC (0/1), callout parameter (2) or KINTERRUPT (3).'),
      p('address', 'APC NormalRoutine when the unique code is 0 or 1.'),
    ],
  },
  {
    code: 0xC9,
    name: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION',
    url: page('bug-check-0xc9--driver-verifier-iomanager-violation'),
    summary: 'Driver Verifier I/O verification caught an IRP handling mistake; Arg1 says which one.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: C9_CASES,
  },
  {
    code: 0xCA,
    name: 'PNP_DETECTED_FATAL_ERROR',
    url: page('bug-check-0xca--pnp-detected-fatal-error'),
    summary: 'The PnP manager hit a fatal error, usually caused by a Plug and Play driver.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: PNP_FATAL_CASES,
  },
  {
    code: 0xCB,
    name: 'DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS',
    url: page('bug-check-0xcb--driver-left-locked-pages-in-process'),
    summary: 'A driver did not unlock pages it had locked in a process after an I/O.',
    parameters: [
      p('address', 'Internal lock tracking structure.'),
      Z,
      p('address', 'MDL holding the locked pages; !lockedpages lists all of them.'),
      p('count', 'Number of pages still locked.'),
    ],
  },
  {
    code: 0xCC,
    name: 'PAGE_FAULT_IN_FREED_SPECIAL_POOL',
    url: page('bug-check-0xcc--page-fault-in-freed-special-pool'),
    summary: 'Memory in special pool was touched after it was freed.',
    parameters: PAGE_FAULT_ARGS,
  },
  {
    code: 0xCD,
    name: 'PAGE_FAULT_BEYOND_END_OF_ALLOCATION',
    url: page('bug-check-0xcd--page-fault-beyond-end-of-allocation'),
    summary: 'Memory just past the end of a special pool allocation was touched.',
    parameters: PAGE_FAULT_ARGS,
  },
  {
    code: 0xCE,
    name: 'DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS',
    url: page('bug-check-0xce--driver-unloaded-without-cancelling-pending-operations'),
    summary: 'A driver unloaded while timers, DPCs, worker threads or similar still pointed into its code.',
    parameters: PAGE_FAULT_ARGS,
  },
  {
    code: 0xD0,
    name: 'DRIVER_CORRUPTED_MMPOOL',
    url: page('bug-check-0xd0--driver-corrupted-mmpool'),
    summary: 'Invalid memory was touched at too high an IRQL, typically because a driver corrupted the pool.',
    parameters: IRQL_FAULT_ARGS,
  },
  {
    code: 0xD1,
    name: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL',
    url: page('bug-check-0xd1--driver-irql-not-less-or-equal'),
    summary: 'A driver touched pageable or invalid memory at too high an IRQL.',
    parameters: [
      p('address', 'Memory that was referenced; !pool and !pte tell whether it is paged or invalid.'),
      p('irql', 'IRQL at the time of the reference.'),
      p('flags', 'Access kind: 0 read, 1 write, 2 or 8 execute.'),
      p('address', 'Code address that made the reference; run ln on it to name the function.'),
    ],
  },
  {
    code: 0xD3,
    name: 'DRIVER_PORTION_MUST_BE_NONPAGED',
    url: page('bug-check-0xd3--driver-portion-must-be-nonpaged'),
    summary: 'Driver code or data marked pageable was used at a raised IRQL.',
    parameters: IRQL_FAULT_ARGS,
  },
  {
    code: 0xD4,
    name: 'SYSTEM_SCAN_AT_RAISED_IRQL_CAUGHT_IMPROPER_DRIVER_UNLOAD',
    url: page('bug-check-0xd4--system-scan-at-raised-irql-caught-improper-driver-unlo'),
    summary: 'A driver unloaded without canceling work that still runs at raised IRQL.',
    parameters: IRQL_FAULT_ARGS,
  },
  {
    code: 0xD5,
    name: 'DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL',
    url: page('bug-check-0xd5--driver-page-fault-in-freed-special-pool'),
    summary: 'A driver touched special pool memory after freeing it.',
    parameters: PAGE_FAULT_ARGS,
  },
  {
    code: 0xD6,
    name: 'DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION',
    url: page('bug-check-0xd6--driver-page-fault-beyond-end-of-allocation'),
    summary: 'A driver read or wrote past the end of its special pool allocation.',
    parameters: PAGE_FAULT_ARGS,
  },
  {
    code: 0xD8,
    name: 'DRIVER_USED_EXCESSIVE_PTES',
    url: page('bug-check-0xd8--driver-used-excessive-ptes'),
    summary: 'The system ran out of page table entries, typically because one driver holds too many.',
    parameters: [
      p('string-address', 'Name of the driver at fault (Unicode), or zero.'),
      p('count', 'PTEs that driver uses, when Arg1 is nonzero.'),
      p('count', 'Free system PTEs.'),
      p('count', 'Total system PTEs.'),
    ],
  },
  {
    code: 0xDE,
    name: 'POOL_CORRUPTION_IN_FILE_AREA',
    url: page('bug-check-0xde--pool-corruption-in-file-area'),
    summary: 'A driver corrupted pool memory that holds pages on their way to disk; no parameters are documented.',
    parameters: [null, null, null, null],
  },
  {
    code: 0xE1,
    name: 'WORKER_THREAD_RETURNED_AT_BAD_IRQL',
    url: page('bug-check-0xe1--worker-thread-returned-at-bad-irql'),
    summary: 'A work item routine returned at an IRQL other than PASSIVE_LEVEL.',
    parameters: [p('address', 'Worker routine; run ln on it.'), p('irql', 'IRQL the worker returned at.'), p('value', 'Parameter of the work item.'), WORK_ITEM],
  },
  {
    code: 0xE3,
    name: 'RESOURCE_NOT_OWNED',
    url: page('bug-check-0xe3--resource-not-owned'),
    summary: 'A thread released a resource (ERESOURCE) that it did not own.',
    parameters: [ERESOURCE, p('thread', 'Thread doing the release; run !thread on it.'), p('address', 'Owner table of the resource, if it has one.'), R],
  },
  {
    code: 0xE4,
    name: 'WORKER_INVALID',
    url: page('bug-check-0xe4--worker-invalid'),
    summary: 'A work item was freed, queued or set up in an invalid way.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: WORKER_CASES,
  },
  {
    code: 0xE6,
    name: 'DRIVER_VERIFIER_DMA_VIOLATION',
    url: page('bug-check-0xe6--driver-verifier-dma-violation'),
    summary: 'Driver Verifier DMA checking caught a misuse of the DMA APIs or buffers.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: DMA_CASES,
  },
  {
    code: 0xEA,
    name: 'THREAD_STUCK_IN_DEVICE_DRIVER',
    url: page('bug-check-0xea--thread-stuck-in-device-driver'),
    summary: 'A display driver thread spun forever waiting on the hardware.',
    parameters: [
      p('thread', 'The stuck thread; run !thread on it.'),
      p('address', 'DEFERRED_WATCHDOG object.'),
      p('string-address', 'Name of the driver at fault.'),
      p('count', 'Times this was hit under a debugger (1 on the blue screen).'),
    ],
  },
  {
    code: 0xEF,
    name: 'CRITICAL_PROCESS_DIED',
    url: page('bug-check-0xef--critical-process-died'),
    summary: 'A process or thread the system cannot live without ended.',
    parameters: [p('process', 'The process object; run !process on it.'), p('value', '0 = a process ended, 1 = a thread ended.'), R, R],
  },
  {
    code: 0xF6,
    name: 'PCI_VERIFIER_DETECTED_VIOLATION',
    url: page('bug-check-0xf6--pci-verifier-detected-violation'),
    summary: 'The PCI driver verifier caught a violation; only Arg1 matters.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: PCI_VERIFIER_CASES,
  },
  {
    code: 0xF7,
    name: 'DRIVER_OVERRAN_STACK_BUFFER',
    url: page('bug-check-0xf7--driver-overran-stack-buffer'),
    summary: 'A driver overran a stack buffer and clobbered the /GS security cookie.',
    parameters: [
      p('value', 'Security cookie actually found on the stack.'),
      p('value', 'Security cookie that was expected.'),
      p('value', 'Bitwise complement of the expected cookie.'),
      Z,
    ],
  },
  {
    code: 0xFC,
    name: 'ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY',
    url: page('bug-check-0xfc---attempted-execute-of-noexecute-memory'),
    summary: 'Code tried to run from memory marked no-execute.',
    parameters: [p('address', 'Virtual address that was executed.'), p('value', 'Contents of the PTE for that address.'), R, R],
  },
  {
    code: 0xFE,
    name: 'BUGCODE_USB_DRIVER',
    url: page('bug-check-0xfe--bugcode-usb-driver'),
    summary: 'The USB 2.0 stack or a USB client driver hit a fatal error.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: USB_CASES,
  },
  {
    code: 0x101,
    name: 'CLOCK_WATCHDOG_TIMEOUT',
    url: page('bug-check-0x101---clock-watchdog-timeout'),
    summary: 'A processor stopped taking clock interrupts for too long (it is hung or spinning with interrupts off).',
    parameters: [
      p('count', 'Time-out for clock interrupts, in nominal clock ticks.'),
      Z,
      p('address', 'PRCB of the processor that stopped responding.'),
      p('value', 'Index of the hung processor; switch to it with ~<n>s.'),
    ],
  },
  {
    code: 0x10D,
    name: 'WDF_VIOLATION',
    url: page('bug-check-0x10d---wdf-violation'),
    summary: 'The kernel-mode driver framework (KMDF) caught a framework-based driver misusing it; !wdfkd.wdflogdump helps.',
    parameters: [SEL, null, null, WDF_R4],
    selector: 0,
    cases: WDF_CASES,
  },
  {
    code: 0x116,
    name: 'VIDEO_TDR_FAILURE',
    url: page('bug-check-0x116---video-tdr-failure'),
    summary: 'The display driver did not recover after a GPU timeout detection and recovery (TDR).',
    parameters: [
      p('address', 'Internal TDR recovery context, if available.'),
      p('address', 'Pointer into the display driver module responsible.'),
      p('ntstatus', 'Status of the last operation that failed, when known.'),
      p('value', 'Internal context-dependent data, if available.'),
    ],
  },
  {
    code: 0x119,
    name: 'VIDEO_SCHEDULER_INTERNAL_ERROR',
    url: page('bug-check-0x119---video-scheduler-internal-error'),
    summary: 'The GPU scheduler found a fatal error, usually caused by the display driver; only Arg1 matters.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: VIDSCH.map(([v, t]) => on1(v, t, null, null, null)),
  },
  {
    code: 0x124,
    name: 'WHEA_UNCORRECTABLE_ERROR',
    url: page('bug-check-0x124---whea-uncorrectable-error'),
    summary: 'The hardware reported an error it could not correct; the WHEA error record has the details.',
    parameters: [SEL, WHEA_RECORD, null, null],
    selector: 0,
    cases: WHEA_CASES,
  },
  {
    code: 0x133,
    name: 'DPC_WATCHDOG_VIOLATION',
    url: page('bug-check-0x133-dpc-watchdog-violation'),
    summary: 'Code ran too long at DISPATCH_LEVEL or above, in one DPC/ISR or in total.',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: DPC_WATCHDOG_CASES,
  },
  {
    code: 0x139,
    name: 'KERNEL_SECURITY_CHECK_FAILURE',
    url: page('bug-check-0x139--kernel-security-check-failure'),
    summary: 'The kernel found a corrupted critical data structure, such as an overrun stack buffer or broken list entry.',
    parameters: [sel('Type of corruption; see the case list.'), SECURITY_TRAP, SECURITY_EXR, R],
    selector: 0,
    cases: SECURITY_CHECKS.map(([v, t]) => on1(v, t, SECURITY_TRAP, SECURITY_EXR, R)),
  },
  {
    code: 0x13A,
    name: 'KERNEL_MODE_HEAP_CORRUPTION',
    url: page('bug-check-0x13a--kernel-mode-heap-corruption'),
    summary: 'The kernel heap manager found corruption in a heap.',
    parameters: [sel('Type of heap corruption; see the case list.'), p('address', 'Heap that reported the corruption.'), p('address', 'Address where the corruption was found.'), R],
    selector: 0,
    cases: HEAP_CORRUPTIONS.map(([v, t]) => on1(v, t, p('address', 'Heap that reported the corruption.'), p('address', 'Address where the corruption was found.'), R)),
  },
  {
    code: 0x144,
    name: 'BUGCODE_USB3_DRIVER',
    url: page('bug-check-0x144--bugcode-usb3-driver'),
    summary: 'The USB 3 stack caught a client driver error, or recorded a controller or hub problem (often as a live dump).',
    parameters: [SEL, null, null, null],
    selector: 0,
    cases: USB3_CASES,
  },
  {
    code: 0x157,
    name: 'KERNEL_THREAD_PRIORITY_FLOOR_VIOLATION',
    url: page('bug-check-0x157--kernel-thread-priority-floor-violation'),
    summary: 'Code misused the priority floor of a thread.',
    parameters: [
      p('thread', 'The thread; run !thread on it.'),
      p('value', 'Target priority value.'),
      p('value', 'Violation: 1 priority counter overflow, 2 counter underflow, 3 illegal target priority.'),
      R,
    ],
  },
  {
    code: 0x162,
    name: 'KERNEL_AUTO_BOOST_INVALID_LOCK_RELEASE',
    url: page('bug-check-0x162--kernel-auto-boost-invalid-lock-release'),
    summary: 'A thread released an autoboost-tracked lock it did not own.',
    parameters: [p('thread', 'The thread releasing the lock; run !thread on it.'), LOCK_ADDR, p('value', 'Session ID of the thread.'), R],
  },
  {
    code: 0x1C4,
    name: 'DRIVER_VERIFIER_DETECTED_VIOLATION_LIVEDUMP',
    url: page('bug-check-0x1c4--driver-verifier-detected-violation-livedump'),
    summary: 'Driver Verifier found a DDI compliance rule violation and took a live dump instead of crashing.',
    parameters: [sel('ID of the broken rule; pass it to !ruleinfo.'), null, null, null],
    selector: 0,
    cases: ruleCases(LIVEDUMP_RULES),
    ranges: [
      ruleRange(0x00020000, 0x00020FFF, 'IRQL DDI'),
      ruleRange(0x00040000, 0x00043FFF, 'WDM DDI'),
      ruleRange(0x00071000, 0x00072FFF, 'PortCls audio'),
      ruleRange(0x00081000, 0x00082FFF, 'AVStream (KS)'),
      ruleRange(0x00091000, 0x00094FFF, 'NDIS/WLAN'),
    ],
  },
  {
    code: 0x1D5,
    name: 'DRIVER_PNP_WATCHDOG',
    url: page('bug-check-0x1d5--driver-pnp-watchdog'),
    summary: 'A driver took too long to finish a Plug and Play operation.',
    parameters: [
      p('value', 'First few characters of the service name of the devnode.'),
      p('address', 'nt!TRIAGE_PNP_WATCHDOG (Windows 10 RS4 and later).'),
      p('thread', 'Thread behind the watchdog; run !thread on it.'),
      p('time', 'Milliseconds since the watchdog was armed.'),
    ],
  },
];
