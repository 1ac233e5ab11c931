<?php
/**
 * Removes the plugin's option when the plugin is deleted.
 *
 * @package VrTour
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'vr_tour_host' );
