// Spec validation of the kinds served without a controller (pkg/apis/autoscaling/validation,
// pkg/apis/core/validation ValidatePersistentVolumeClaimSpec, pkg/apis/batch/validation's schedule
// check): what a cluster refuses.
import { type FieldError, invalidValue, required } from './errors.js';
import { cronError } from './cron.js';
import type { AdmissionPlugin } from './store.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** validateHorizontalPodAutoscalerSpec's replica bounds (minReplicas ≥ 1 without the HPAScaleToZero gate). */
function hpaErrors(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  const max = spec.maxReplicas ?? 0;
  if (typeof min === 'number' && min < 1) errs.push(invalidValue('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min)
    errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec: an access mode and a storage request (unknown modes fail the schema's enum at decoding). */
function pvcErrors(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const modes: string[] = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (spec.resources?.requests?.storage === undefined) errs.push(required('spec.resources[storage]'));
  return errs;
}

/** validateScheduleFormat: the cron parser's complaint, and no TZ inside the schedule (timeZone says it). */
function scheduleErrors(o: Obj): FieldError[] {
  const schedule = o.spec?.schedule;
  if (typeof schedule !== 'string' || schedule === '') return []; // the schema reports it missing
  const errs: FieldError[] = [];
  const why = cronError(schedule);
  if (why) errs.push(invalidValue('spec.schedule', schedule, why));
  if (schedule.includes('TZ'))
    errs.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

/** ValidateCronJobCreate's last check: room for the controller's 11-character `-TIMESTAMP` in a 63-character Job name. */
function cronJobNameErrors(op: string, o: Obj): FieldError[] {
  const name = String(o.metadata?.name ?? '');
  return op === 'CREATE' && name.length > 52 ? [invalidValue('metadata.name', name, 'must be no more than 52 characters')] : [];
}

/**
 * validateJobSpec's restart policy: a Job's pods must not restart Always (the pod default, so an
 * omitted policy is reported as required), for a Job and a CronJob's job template alike. Values
 * outside the pod's three fail the schema's enum at decoding.
 */
function jobRestartErrors(spec: Obj | undefined, path: string): FieldError[] {
  const policy = spec?.template?.spec?.restartPolicy;
  if (policy === 'OnFailure' || policy === 'Never') return [];
  return [required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"')];
}

export function kindsValidation(): AdmissionPlugin[] {
  return [
    { resource: 'horizontalpodautoscalers', validate: (_op, o) => hpaErrors(o) },
    { resource: 'persistentvolumeclaims', validate: (_op, o) => pvcErrors(o) },
    {
      resource: 'cronjobs',
      validate: (op, o) => [
        ...scheduleErrors(o),
        ...jobRestartErrors((o as Obj).spec?.jobTemplate?.spec, 'spec.jobTemplate.spec'),
        ...cronJobNameErrors(op, o),
      ],
    },
    { resource: 'jobs', validate: (_op, o) => jobRestartErrors((o as Obj).spec, 'spec') },
  ];
}
