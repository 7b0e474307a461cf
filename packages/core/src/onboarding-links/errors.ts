import { AppError } from '../errors'

/** A link's refusals on its hosted page and callback. */
export const linkErrors = {
  completed: () =>
    new AppError(
      'link_already_completed',
      409,
      'This link has already been used to connect a WhatsApp number.',
    ),
  expired: () => new AppError('link_expired', 410, 'This link has expired.'),
}
