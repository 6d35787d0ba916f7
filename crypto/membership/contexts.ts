// Signature context labels of the membership layer: one per signed object, so a signature made
// for one purpose never verifies as another (Matrix CVE-2022-39250, Threema "Kompromat").

export const ADMIN_CERTIFICATE_CONTEXT = 'membership/admin-certificate'
export const DEVICE_CERTIFICATE_CONTEXT = 'membership/device-certificate'
export const LOG_ENTRY_CONTEXT = 'membership/log-entry'
export const CERTIFICATE_REQUEST_CONTEXT = 'membership/certificate-request'
export const LOG_CHECKPOINT_CONTEXT = 'membership/log-checkpoint'
/** HKDF context that turns an invite secret into the MAC key of a certificate request. */
export const INVITE_PROOF_CONTEXT = 'membership/invite-proof'
/** Signaling admission (fixed by the API contract). */
export const ADMISSION_CONTEXT = 'signaling/admission'
